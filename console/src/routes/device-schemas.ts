import { Type } from '@sinclair/typebox';
import { StringEnum } from '@streetwise/analytics';
import { DEVICE_STATES, STATE_REASONS } from '../live/device-live-sql.js';

const nullableString = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

/** One device on the live map (GET /devices/geojson, and devices:diff's upsert). */
export const DeviceFeature = Type.Object(
  {
    type: Type.Literal('Feature'),
    id: Type.String({ description: 'the device id' }),
    geometry: Type.Object({
      type: Type.Literal('Point'),
      coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 2, description: '[lon, lat], WGS84' }),
    }),
    properties: Type.Object({
      id: Type.String(),
      name: nullableString('its name'),
      kind: Type.String(),
      state: StringEnum(DEVICE_STATES, { description: 'online, degraded or offline' }),
      stateReason: Type.Union([StringEnum(STATE_REASONS), Type.Null()], { description: 'why it is degraded' }),
      district: nullableString('district code letter (A–T)'),
      keySite: Type.Boolean(),
      severity: nullableString('the worst severity among its incidents that are not resolved'),
    }),
  },
  { description: 'a device as a GeoJSON Point feature' },
);

export const DeviceFeatureCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(DeviceFeature),
});
