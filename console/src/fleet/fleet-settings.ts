/**
 * How the console reaches the MQTT broker to publish config downlinks, as the `downlink` credential
 * (identity's kind for the one service that may write `<prefix>/v1/<device>/config`). Shared by every
 * program that serves the console: `npm start` hands over its own broker and the credential it
 * provisioned; the console's own main reads MQTT_URL with these.
 */
import { text } from '@streetwise/settings';

export const FLEET_SETTINGS = {
  downlinkUser: {
    env: 'DOWNLINK_USER', flag: '--downlink-user', defaultValue: 'console',
    description: 'MQTT username of the console\'s downlink credential (identity kind `downlink`), to publish config pushes from the fleet view',
    parse: text,
  },
  downlinkPassword: {
    env: 'DOWNLINK_PASSWORD', flag: '--downlink-password',
    description: 'its secret (npm run devices -- add console --kind downlink prints it once); npm start with its embedded broker provisions and uses its own',
    parse: text,
  },
};

export interface FleetSettingValues {
  downlinkUser: string;
  downlinkPassword?: string | undefined;
}

/** Where and as whom the console publishes config downlinks. */
export interface DownlinkOptions {
  /** mqtt://, mqtts://, ws:// or wss:// URL of the broker the devices use. */
  url: string;
  username?: string;
  password?: string;
  /** First topic level (TOPIC_PREFIX). Default 'streetwise'. */
  prefix?: string;
  /** Client id; default `<username>-<8 hex>` (identity lets a downlink credential use `<name>-<k>`, so several console nodes may connect). */
  clientId?: string;
  /** mqtts:// to a broker whose certificate names another host (npm start dials its own listener). */
  rejectUnauthorized?: boolean;
  /** How long one publish may wait for its PUBACK, ms. Default 10,000. */
  publishTimeoutMs?: number;
}

/** DownlinkOptions from a program's settings and the broker URL it uses. */
export function downlinkOptionsFrom(settings: FleetSettingValues, url: string, prefix: string): DownlinkOptions {
  return {
    url,
    prefix,
    username: settings.downlinkUser,
    ...(settings.downlinkPassword !== undefined ? { password: settings.downlinkPassword } : {}),
  };
}
