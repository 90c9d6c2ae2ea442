// A telemetry writer thread that dies at once, as one would on an unexpected error.
throw new Error('writer thread died');
