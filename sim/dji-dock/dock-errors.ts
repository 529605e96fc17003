// The result codes the simulated dock answers with, by DJI's names for them (FirmwareErrorCodeEnum in
// dji-sdk/DJI-Cloud-API-Demo; meanings in shared/specs/dji-field-notes.md).
export const DOCK_ERRORS = {
  consistencyNotAsked: 312001,
  verifyFailed: 312003,
  downloadFailed: 312004,
  invalidParameters: 312012,
  upgradeAlreadyRunning: 312014,
  dockBusy: 312015,
  aircraftOffOrUnpaired: 312022,
  emergencyStop: 312023,
  noAircraft: 312027,
  lowBattery: 312704,
  notSupported: 314000,
  busyUpgrading: 319038,
} as const;
