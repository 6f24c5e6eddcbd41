import { describe, expect, it } from 'vitest';
import { isStreetwiseError } from '@streetwise/errors';
import { loadTdCatalogue, parseTdCatalogue, roadOfDescription } from './td-catalogue.js';

describe('TD detector catalogue (traffic_detectors.csv)', () => {
  const sites = loadTdCatalogue();

  it('has all 786 detectors; the byte-order mark does not stick to the first id', () => {
    expect(sites.size).toBe(786);
    expect([...sites.keys()][0]).toBe('AID01101');
    expect(sites.get('AID01101')).toEqual({
      siteId: 'AID01101',
      name: 'Aberdeen Praya Road near Abba House - Eastbound',
      district: 'Southern',
      road: 'Aberdeen Praya Road',
      latitude: 22.248091,
      longitude: 114.152525,
      direction: 'South East',
    });
  });

  it('keeps a comma inside quotes and trims the trailing space', () => {
    expect(sites.get('TDS20009')).toMatchObject({
      name: "Tate's Cairn Highway near Hyatt Regency Hong Kong, Sha Tin - Southbound",
      road: "Tate's Cairn Highway",
      district: 'Sha Tin',
    });
  });

  it('takes the road out of a description', () => {
    expect(roadOfDescription('Tai Po Road - Ma Liu Shui near University MTR Station - Northbound (2)')).toBe('Tai Po Road - Ma Liu Shui');
    expect(roadOfDescription('Lung Cheung Road - Westbound ')).toBe('Lung Cheung Road');
  });

  it('refuses a file without the columns it needs, a row without coordinates, a repeated id', () => {
    const header = 'AID_ID_Number,District,Road_EN,Latitude,Longitude,Direction\n';
    const cases = [
      'id,lat,lon\nA,1,2\n',
      `${header}AID1,Southern,Some Road,,114.1,South\n`,
      `${header}AID1,Southern,Some Road,22.2,114.1,South\nAID1,Southern,Some Road,22.2,114.1,South\n`,
    ];
    for (const csv of cases) {
      let caught: unknown;
      try {
        parseTdCatalogue(csv, 'test.csv');
      } catch (err) {
        caught = err;
      }
      expect(isStreetwiseError(caught, 'SW_CONNECTOR_CATALOGUE_INVALID'), csv).toBe(true);
    }
  });
});
