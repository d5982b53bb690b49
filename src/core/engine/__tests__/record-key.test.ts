import fc from 'fast-check';
import { parseRecordKeyString, recordKeyString } from '../record-key';
import { OBJECT_TYPES } from '../state';

describe('the record key string', () => {
  it('is objectType:objectId', () => {
    expect(recordKeyString({ objectType: 'contact', objectId: '101' })).toBe('contact:101');
  });

  it('parses back to the same key, even when the object id contains colons', () => {
    fc.assert(
      fc.property(fc.constantFrom(...OBJECT_TYPES), fc.string(), (objectType, objectId) => {
        expect(parseRecordKeyString(recordKeyString({ objectType, objectId }))).toEqual({ objectType, objectId });
      }),
      { numRuns: 200, seed: 20260301 },
    );
    expect(parseRecordKeyString('deal:a:b')).toEqual({ objectType: 'deal', objectId: 'a:b' });
  });

  it('refuses a string that is not a record key', () => {
    expect(() => parseRecordKeyString('ticket:1')).toThrow('"ticket:1" is not a record key (objectType:objectId)');
    expect(() => parseRecordKeyString('contact')).toThrow('is not a record key');
  });
});
