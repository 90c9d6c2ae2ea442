import type { Random } from '../prng.ts';
import { spec } from './param-spec.ts';
import { def, type ParamDef } from './param-table.ts';

// Public APNs of the Chinese carriers' IoT and consumer plans, plus a generic one for export boxes.
const APNS = ['cmiot', 'cmiot', 'cmnet', '3gnet', 'ctnet', 'uninet', 'internet'] as const;
const LINK_CHECK_HOSTS = ['114.114.114.114', '223.5.5.5', '8.8.8.8'] as const;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const HOST_HINT = 'must be a host name or address';

/** Models without the Wi-Fi module (the S1 is cellular and Ethernet only). */
const NO_WIFI_MODELS: ReadonlySet<string> = new Set(['MT-BOX-S1']);

/** `network.*`: cellular uplink, Ethernet, Wi-Fi (models that have it) and VPN. */
export function networkParams(random: Random, serial: string, model: string): ParamDef[] {
  const apn = random.pick(APNS);
  // A private APN (a plant's own VPDN) comes with its own user and password.
  const privateApn = random.chance(0.15);
  const staticIp = random.chance(0.4);
  const subnet = random.int(1, 254);
  const ip = `192.168.${subnet}.${random.int(20, 250)}`;
  const defs: ParamDef[] = [
    def('network.uplink', random.pick(['cellular', 'cellular', 'auto', 'ethernet']), spec.enumOf(['cellular', 'ethernet', 'auto'])),
    def(
      'network.apn',
      privateApn ? `${serial.slice(-4).toLowerCase()}.vpdn.gd` : apn,
      spec.text(63, /^[A-Za-z0-9.-]*$/, 'must be an APN: letters, digits, dots and dashes'),
    ),
    def('network.apnUser', privateApn ? `box${serial.slice(-6)}` : '', spec.text(64)),
    def('network.apnPassword', privateApn ? password(random, 10) : '', spec.secret(spec.text(64))),
    def('network.apnAuth', privateApn ? 'chap' : 'none', spec.enumOf(['none', 'pap', 'chap'])),
    def('network.dialMode', random.chance(0.9) ? 'always-on' : 'on-demand', spec.enumOf(['always-on', 'on-demand'])),
    def('network.radioMode', random.pick(['auto', 'auto', '4g']), spec.enumOf(['auto', '4g', '3g', '2g'])),
    def('network.simPinEnabled', false, spec.bool()),
    // The modem is restarted after this many failed pings: cellular sessions go stale without notice.
    def('network.linkCheckHost', random.pick(LINK_CHECK_HOSTS), spec.text(253, HOST, HOST_HINT)),
    def('network.linkCheckIntervalS', 60, spec.int(10, 3600)),
    def('network.linkCheckFailures', 3, spec.int(1, 20)),
    def('network.ethMode', staticIp ? 'static' : 'dhcp', spec.enumOf(['dhcp', 'static'])),
    def('network.ip', ip, spec.ipv4()),
    def('network.netmask', '255.255.255.0', spec.ipv4()),
    def('network.gateway', `192.168.${subnet}.1`, spec.ipv4()),
    def('network.dns1', '114.114.114.114', spec.ipv4()),
    def('network.dns2', '223.5.5.5', spec.ipv4()),
    def('network.mtu', 1500, spec.int(576, 1500)),
    def('network.vpnEnabled', false, spec.bool()),
    def('network.vpnType', 'openvpn', spec.enumOf(['openvpn', 'ipsec', 'l2tp'])),
    def('network.vpnServer', '', spec.text(253, /^$|^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/, HOST_HINT)),
  ];
  if (NO_WIFI_MODELS.has(model)) return defs;
  return [
    ...defs,
    def('network.wifiEnabled', true, spec.bool()),
    def('network.wifiMode', 'ap', spec.enumOf(['ap', 'sta'])),
    def('network.wifiSsid', `MTBOX-${serial.slice(-6)}`, spec.text(32, /^.+$/, 'must not be empty')),
    def('network.wifiPassword', password(random, 12), spec.secret(spec.text(63, /^.{8,63}$/, 'must be 8 to 63 characters (WPA2)'))),
    def('network.wifiSecurity', 'wpa2-psk', spec.enumOf(['open', 'wpa2-psk', 'wpa3-sae'])),
    def('network.wifiChannel', random.pick([1, 6, 11]), spec.int(1, 13)),
  ];
}

function password(random: Random, length: number): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  return Array.from({ length }, () => alphabet[random.int(0, alphabet.length - 1)]).join('');
}
