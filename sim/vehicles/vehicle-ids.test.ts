import { describe, expect, it } from 'vitest';
import { astarteDeviceId, simulatedFleet, simulatedVin, vinCheckDigit } from './vehicle-ids';

describe('simulated VINs', () => {
  it('computes the ISO 3779 check digit of a known VIN', () => {
    // The textbook example from the North American check-digit rule.
    expect(vinCheckDigit('1M8GDM9AXKP042788')).toBe('X');
    expect(vinCheckDigit('11111111111111111')).toBe('1');
  });

  it('builds 17-character VINs without I, O or Q whose check digit holds', () => {
    for (const serial of [0, 1, 4711, 999_999]) {
      const vin = simulatedVin(serial);
      expect(vin).toMatch(/^[A-HJ-NPR-Z0-9]{17}$/);
      expect(vin[8]).toBe(vinCheckDigit(vin));
      expect(vin.endsWith(String(serial).padStart(6, '0'))).toBe(true);
    }
  });

  it('gives a fleet distinct VINs', () => {
    const fleet = simulatedFleet(50);
    expect(new Set(fleet).size).toBe(50);
  });

  it('writes Astarte device ids as 22 base64url characters', () => {
    expect(astarteDeviceId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
