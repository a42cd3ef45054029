// NACHA files written by src/formats, read by an independent parser: @ach/ach (npm). Its
// record parser splits the fields; its own layout table (field widths and patterns) checks
// every record; the controls are recomputed here from the parsed entries, and the entries
// compared with what our C++ reader saw (the .json manifest). ../shared/domain/nacha-ach.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { readSample } from './sample.mjs';

const require = createRequire(import.meta.url);
// @ach/ach 1.1.0's from()/to() pipeline throws (to.js uses an undefined `strung`), so the
// record parser and the layout table are used directly.
const AchParser = require('@ach/ach/lib/transforms/ach-parser');
const formats = require('@ach/ach/lib/transforms/formats');

function parse(text) {
  return new Promise((resolve, reject) => {
    const parser = new AchParser();
    parser.on('data', resolve);
    parser.on('error', reject);
    // The parser splits on LF; CR (of CRLF files) would stay in the last field of each record.
    Readable.from([text.replaceAll('\r\n', '\n')]).pipe(parser);
  });
}

function records(text, eol) {
  assert.ok(text.endsWith(eol), 'the last record ends with the line ending too');
  const lines = text.slice(0, -eol.length).split(eol);
  for (const [i, line] of lines.entries()) {
    assert.equal(line.length, 94, `record ${i + 1} has 94 characters`);
    assert.ok(!line.includes('\r') && !line.includes('\n'), `record ${i + 1} has one line ending`);
  }
  assert.equal(lines.length % 10, 0, 'padded to blocks of 10');
  return lines;
}

// Every field of every record against @ach/ach's layout: widths add up to 94, patterns match.
function checkLayout(lines) {
  let sec = 'PPD';
  let checked = 0;
  for (const [i, line] of lines.entries()) {
    let fmt = null;
    switch (line[0]) {
      case '1': fmt = formats.fileHeader; break;
      case '5': fmt = formats.batchHeader; sec = line.slice(50, 53); break;
      case '6': fmt = formats[sec].entry; break;
      case '7': fmt = formats[sec].addenda; break;
      case '8': fmt = formats.batchFooter; break;
      case '9': fmt = /^9{94}$/.test(line) ? null : formats.fileFooter; break;
      default: assert.fail(`record ${i + 1} has an unknown type ${line[0]}`);
    }
    if (!fmt) continue;
    let pos = 0;
    for (const f of fmt.fields) {
      const v = line.slice(pos, pos + f.length);
      pos += f.length;
      if (f.pattern instanceof RegExp && f.pattern.source !== '.*') {
        assert.match(v, new RegExp(`^(?:${f.pattern.source})$`), `record ${i + 1} field ${f.name}`);
        checked++;
      }
    }
    assert.equal(pos, 94, `layout of record type ${line[0]}`);
  }
  return checked;
}

function checkDigitOk(rdfi8, check) {
  const d = String(rdfi8).padStart(8, '0').split('').map(Number);
  const w = [3, 7, 1, 3, 7, 1, 3, 7];
  const sum = d.reduce((s, x, k) => s + x * w[k], 0);
  return (10 - (sum % 10)) % 10 === check;
}

const isCredit = (code) => Number(code) % 10 <= 4;

// Recomputes every batch and file control from the parsed entries.
function checkControls(ach) {
  let fileCount = 0, fileHash = 0, fileDebit = 0, fileCredit = 0, lastSeq = 0;
  for (const b of ach.batches) {
    let count = 0, hash = 0, debit = 0, credit = 0;
    for (const e of b.entries) {
      count += e.addenda ? 2 : 1;
      hash += e.receivingDFIIdentification;
      if (isCredit(e.transactionCode)) credit += e.amount; else debit += e.amount;
      assert.ok(checkDigitOk(e.receivingDFIIdentification, e.checkDigit), `check digit of ${e.identificationNumber}`);
      const seq = e.traceNumber % 1e7;
      assert.ok(seq > lastSeq, 'trace numbers ascend through the file');
      lastSeq = seq;
      assert.equal(Math.floor(e.traceNumber / 1e7), Number(b.originatingDFIIdentification), 'trace starts with the ODFI');
      if (e.addenda) assert.equal(e.addenda.entryNum, seq, "addenda carries its entry's sequence");
    }
    hash %= 1e10;
    assert.equal(b.footer.entryAndAddendaCount, count, `batch ${b.num} count`);
    assert.equal(b.footer.entryHash, hash, `batch ${b.num} hash`);
    assert.equal(b.footer.totalDebit, debit, `batch ${b.num} debits`);
    assert.equal(b.footer.totalCredit, credit, `batch ${b.num} credits`);
    assert.equal(b.footer.serviceClassCode, b.serviceClassCode);
    assert.equal(b.footer.num, b.num);
    fileCount += count; fileHash = (fileHash + hash) % 1e10; fileDebit += debit; fileCredit += credit;
  }
  const f = ach.file.footer;
  assert.equal(f.batchCount, ach.batches.length);
  assert.equal(f.entryAndAddendaCount, fileCount);
  assert.equal(f.entryHash, fileHash);
  assert.equal(f.totalDebit, fileDebit);
  assert.equal(f.totalCredit, fileCredit);
  const records = 2 + ach.batches.reduce((s, b) => s + 2 + b.footer.entryAndAddendaCount, 0);
  assert.equal(f.blockCount, Math.ceil(records / 10));
}

function compareWithManifest(ach, manifest) {
  const entries = ach.batches.flatMap((b, i) => b.entries.map((e) => ({ e, batch: i })));
  assert.equal(entries.length, manifest.entries.length);
  for (const [k, { e, batch }] of entries.entries()) {
    const m = manifest.entries[k];
    assert.equal(batch, m.batch);
    assert.equal(Number(e.transactionCode), m.code);
    assert.equal(String(e.receivingDFIIdentification).padStart(8, '0') + e.checkDigit, m.routing);
    assert.equal(e.dfiAccount, m.account);
    assert.equal(e.amount, m.amount);
    assert.equal(e.identificationNumber, m.id);
    assert.equal(e.receivingCompanyName, m.name);
    assert.equal(String(e.traceNumber).padStart(15, '0'), m.trace);
    assert.equal(e.addenda ? e.addenda.info : null, m.addenda);
  }
}

test('the worked example of nacha-ach.md §5 parses with @ach/ach and its controls recompute', async () => {
  const text = readSample('section5.ach');
  const lines = records(text, '\n');
  assert.ok(checkLayout(lines) > 20, 'the layout table checked the fields');
  const ach = await parse(text);
  assert.equal(ach.file.destination, ' 123456780');
  assert.equal(ach.file.origin, '1123456789');
  assert.equal(ach.file.creationDate, '250117');
  assert.equal(ach.file.creationTime, '0930');
  assert.equal(ach.file.destinationName, 'EXAMPLE ODFI BANK');
  assert.equal(ach.batches.length, 1);
  const b = ach.batches[0];
  assert.equal(b.serviceClassCode, 220);
  assert.equal(b.entryClassCode, 'PPD');
  assert.equal(b.effectiveDate, '250121');
  assert.deepEqual(b.entries.map((e) => [e.transactionCode, e.amount, e.receivingCompanyName]),
    [['22', 163245, 'RIVERA ANA'], ['32', 110987, 'OKAFOR BEN'], ['23', 0, 'NGUYEN CHI']]);
  assert.equal(b.footer.entryHash, 42427164);
  assert.equal(ach.file.footer.totalCredit, 274232);
  checkControls(ach);
  compareWithManifest(ach, JSON.parse(readSample('section5.json')));
});

test('a balanced two-batch CRLF file with addenda and a same-day batch parses and balances', async () => {
  const text = readSample('payroll.ach');
  const manifest = JSON.parse(readSample('payroll.json'));
  assert.equal(manifest.lineEnding, 'CRLF');
  const lines = records(text, '\r\n');
  assert.ok(checkLayout(lines) > 100);
  const ach = await parse(text);
  assert.equal(ach.batches.length, 2);
  checkControls(ach);
  compareWithManifest(ach, manifest);
  for (const b of ach.batches) {
    assert.equal(b.serviceClassCode, 200, 'balanced batches are mixed (200)');
    assert.equal(b.footer.totalDebit, b.footer.totalCredit, `batch ${b.num} balances`);
    const offset = b.entries.at(-1);
    assert.equal(offset.transactionCode, '27');
    assert.equal(offset.identificationNumber, 'OFFSET');
  }
  assert.equal(ach.batches[1].entryClassCode, 'CCD');
  assert.equal(ach.batches[1].effectiveDate, ach.file.creationDate, 'same-day: effective = creation date');
  assert.ok(ach.batches[0].entries.some((e) => e.addenda), 'addenda records came through');
  assert.ok(ach.batches[0].entries.some((e) => e.receivingCompanyName.startsWith('MUNOZ DOLORES')), 'names sanitized');
});

test('a changed amount breaks the recomputed batch total', async () => {
  const text = readSample('section5.ach');
  const i = 95 * 2 + 38;  // last digit of the first entry's amount
  const broken = text.slice(0, i) + (text[i] === '9' ? '8' : '9') + text.slice(i + 1);
  const ach = await parse(broken);
  assert.throws(() => checkControls(ach), /batch 1 credits/);
});
