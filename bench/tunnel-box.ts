import { SimBox } from '../device-sim/index.ts';
import { sampleProcess, serve } from './ipc.ts';
import { ECHO, PLC, type BoxStarted, type BoxTunnelCounters } from './tunnel-lan.ts';

/**
 * The simulated box of `npm run bench:tunnel` in its own process (started by bench/tunnel.ts over
 * IPC): a SimBox on the backend's MQTT port with its LAN PLC (Modbus TCP) and an echo device, so
 * the box's relaying does not share the event loop of the client that measures.
 */

let box: SimBox | undefined;

serve({
  async start({ mqttUrl, serial, secret }: { mqttUrl: string; serial: string; secret: string }): Promise<BoxStarted> {
    box = new SimBox({ serial, secret, mqttUrl, model: 'MT-BOX-4G', tunnelAllow: [`${PLC.host}:${PLC.port}`, `${ECHO.host}:${ECHO.port}`] });
    const plc = await box.startPlc();
    // No read delay: the echo device is as fast as loopback allows, so the tunnel is what is measured.
    const echo = await box.startEcho(`${ECHO.host}:${ECHO.port}`);
    box.start();
    await box.waitOnline(30_000);
    box.publishTelemetry();
    return { plc: plc.endpoint, echo: echo.endpoint };
  },
  stats: () => sampleProcess(),
  tunnels(): BoxTunnelCounters[] {
    return (box?.tunnels.history() ?? []).map((r) => ({ target: r.target, closeReason: r.closeReason, ...r.stats }));
  },
  async stop() {
    await box?.stop();
    box = undefined;
  },
});
