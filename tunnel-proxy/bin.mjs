#!/usr/bin/env node
// `npx mtbox-tunnel --url … --token … --listen …`: the same program as `npm run tunnel`,
// for engineers who install this package rather than work in its repository.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
