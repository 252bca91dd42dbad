import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BASE_NODE } from './build-bttui.ts';
import { type IcuTrim, icuItemsToDrop, trimIcu, unexpectedGaps } from './trim-icu.ts';

describe("Node's ICU data trimmed to English", () => {
  it('drops other locales, converters and transliteration; keeps root, English, indexes and the rest', () => {
    const items = [
      'root.res',
      'en.res',
      'en_GB.res',
      'fr.res',
      'az_Cyrl_AZ.res',
      'de__PHONEBOOK.res',
      'res_index.res',
      'pool.res',
      'supplementalData.res',
      'zoneinfo64.res',
      'coll/de.res',
      'coll/root.res',
      'coll/res_index.res',
      'brkitr/root.res',
      'brkitr/word.brk',
      'brkitr/cjdict.dict',
      'ibm-5348_P100-1997.cnv',
      'cnvalias.icu',
      'nfc.nrm',
      'uts46.nrm',
      'unames.icu',
      'confusables.cfu',
      'rfc3491.spp',
      'translit/root.res',
    ];
    assert.deepEqual(icuItemsToDrop(items), [
      'fr.res',
      'az_Cyrl_AZ.res',
      'de__PHONEBOOK.res',
      'coll/de.res',
      'brkitr/cjdict.dict',
      'ibm-5348_P100-1997.cnv',
      'unames.icu',
      'confusables.cfu',
      'rfc3491.spp',
      'translit/root.res',
    ]);
  });

  it("accepts icupkg's complaint about the dictionaries only", () => {
    const said = [
      'Item brkitr/root.res depends on missing item brkitr/cjdict.dict',
      'Item brkitr/root.res depends on missing item brkitr/thaidict.dict',
    ].join('\n');
    assert.deepEqual(unexpectedGaps(said), []);
    assert.deepEqual(unexpectedGaps(`${said}\nItem coll/de_.res depends on missing item coll/de.res`), [
      'coll/de.res',
    ]);
  });

  describe('the patched binary', () => {
    let dir: string;
    let node: string;
    let trim: IcuTrim;
    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'bt-icu-test-'));
      node = path.join(dir, 'node');
      await copyFile(BASE_NODE, node);
      trim = await trimIcu(node);
    });
    after(() => rm(dir, { recursive: true, force: true }));

    const run = (code: string) => execFileSync(node, ['-e', code], { encoding: 'utf8' }).trim();

    it('carries a sixth of the data or less', () => {
      assert.match(trim.symbol, /^icudt\d+_dat$/);
      assert.ok(trim.after < trim.before / 6, `${trim.after} of ${trim.before} bytes`);
    });

    it('still formats, normalises, compares, decodes and converts as English and Unicode need', () => {
      const facts = JSON.parse(
        run(`console.log(JSON.stringify({
          date: new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(0)),
          number: (1234567.891).toLocaleString('en-US'),
          rel: new Intl.RelativeTimeFormat('en').format(-3, 'day'),
          plural: new Intl.PluralRules('en').select(1),
          nfd: 'é'.normalize('NFD').length,
          nfkc: 'ﬁ'.normalize('NFKC'),
          compare: 'a'.localeCompare('B'),
          words: [...new Intl.Segmenter('en', { granularity: 'word' }).segment('hello big world')].length,
          graphemes: [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment('e\u0301👍🏽')].length,
          japanese: [...new Intl.Segmenter('ja', { granularity: 'word' }).segment('日本語のテキスト')].length,
          utf8: new TextDecoder().decode(Buffer.from('héllo')),
          utf16: new TextDecoder('utf-16le').decode(Uint8Array.of(0x41, 0)),
          latin1: new TextDecoder('latin1').decode(Uint8Array.of(0xe9, 0x80)),
          transcode: require('buffer').transcode(Buffer.from('hé'), 'utf8', 'latin1').toString('hex'),
          idna: require('url').domainToASCII('münchen.de'),
          supported: Intl.DateTimeFormat.supportedLocalesOf(['fr', 'en']),
          german: (1234.5).toLocaleString('de-DE'),
        }))`),
      );
      assert.deepEqual(facts, {
        date: 'Thursday, January 1, 1970 at 1:00:00 AM GMT+1',
        number: '1,234,567.891',
        rel: '3 days ago',
        plural: 'one',
        nfd: 2,
        nfkc: 'fi',
        compare: -1,
        words: 5,
        graphemes: 2,
        // what was dropped: no dictionary, so Japanese is one run of letters, as rules alone see it
        japanese: 1,
        utf8: 'héllo',
        utf16: 'A',
        latin1: 'é€',
        transcode: '68e9',
        idna: 'xn--mnchen-3ya.de',
        // what was dropped: other locales fall back to English instead of failing
        supported: ['en'],
        german: '1,234.5',
      });
    });
  });
});
