// Names the vehicle protocols put on the wire, shared by the app's ingest and the vehicle simulators.

export const VEHICLE_PROTOCOLS = ['aktualizr', 'carota', 'edgehog', 'oem'] as const;
export type VehicleProtocol = (typeof VEHICLE_PROTOCOLS)[number];

/** The Edgehog device-manager interface an OTA event is published on (Astarte: `<realm>/<device>/<interface>/event`). */
export const EDGEHOG_OTA_INTERFACE = 'io.edgehog.devicemanager.OTAEvent';

/** Where the CarOTA edge publishes its envelopes unless configured otherwise; `+` is the VIN. */
export const DEFAULT_CAROTA_TOPIC = 'carota/+/ota';
