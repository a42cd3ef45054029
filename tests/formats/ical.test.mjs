// The iCalendar feed written by src/formats, read by an independent parser: ical.js (npm).
// Times must resolve to the same UTC instants across DST changes (a fall-back night is 13
// hours), TEXT must round-trip, physical lines must stay within 75 octets with CRLF.
// ../shared/domain/fhir-and-calendar.md part B.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { readSample } from './sample.mjs';

const text = () => readSample('shifts.ics');
const manifest = () => JSON.parse(readSample('shifts.json'));

function parse(ics) {
  const vcal = new ICAL.Component(ICAL.parse(ics));
  for (const vtz of vcal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);
  return vcal;
}

test('every physical line is at most 75 octets and ends with CRLF', () => {
  const bytes = readSample('shifts.ics', null);
  assert.ok(!/[^\r]\n/.test(bytes.toString('latin1')), 'no bare LF');
  assert.ok(bytes.toString('latin1').endsWith('END:VCALENDAR\r\n'));
  let start = 0, folded = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      assert.ok(i - 1 - start <= 75, `line at byte ${start} has ${i - 1 - start} octets`);
      const line = bytes.subarray(start, i - 1);
      assert.equal(Buffer.from(line.toString('utf8'), 'utf8').compare(line), 0, `line at byte ${start} is whole UTF-8`);
      if (line[0] === 0x20) folded++;
      start = i + 1;
    }
  }
  assert.ok(folded >= 3, 'long values were folded');
});

test('ical.js reads every event with the intended UTC instants and text', () => {
  const vcal = parse(text());
  const m = manifest();
  assert.equal(vcal.getFirstPropertyValue('version'), '2.0');
  assert.equal(vcal.getFirstPropertyValue('x-wr-calname'), m.name);
  assert.equal(vcal.getFirstPropertyValue('refresh-interval')?.toString(), 'PT1H');
  const events = vcal.getAllSubcomponents('vevent');
  assert.equal(events.length, m.events.length);
  for (const [i, ve] of events.entries()) {
    const want = m.events[i];
    const ev = new ICAL.Event(ve);
    assert.equal(ev.uid, want.uid);
    assert.equal(ev.startDate.toJSDate().toISOString().replace('.000Z', 'Z'), want.startUtc, `${want.uid} start`);
    assert.equal(ev.endDate.toJSDate().toISOString().replace('.000Z', 'Z'), want.endUtc, `${want.uid} end`);
    assert.equal(ev.summary, want.summary);
    assert.equal(ev.location ?? '', want.location);
    assert.equal(ev.description ?? '', want.description);
    assert.equal(ve.getFirstPropertyValue('status'), want.status);
    assert.equal(ev.sequence, want.sequence);
    assert.equal(ve.getFirstPropertyValue('dtstamp').toString(), '2025-10-20T15:00:00Z');
  }
});

test('DST nights have their real length and keep the facility zone', () => {
  const events = parse(text()).getAllSubcomponents('vevent').map((ve) => new ICAL.Event(ve));
  const byUid = Object.fromEntries(events.map((e) => [e.uid, e]));
  const hours = (e) => (e.endDate.toUnixTime() - e.startDate.toUnixTime()) / 3600;
  const fall = byUid['shift-20251101-0042@mso.example.org'];
  assert.equal(hours(fall), 13, 'Chicago fall-back night');
  assert.equal(fall.startDate.zone.tzid, 'America/Chicago');
  assert.equal(fall.startDate.toString(), '2025-11-01T19:00:00');
  assert.equal(fall.endDate.toString(), '2025-11-02T07:00:00');
  assert.equal(hours(byUid['shift-20250308-0007@mso.example.org']), 11, 'Chicago spring-forward night');
  assert.equal(hours(byUid['shift-20251025-0100@mso.example.org']), 13, 'London night as BST ends');
  assert.equal(hours(byUid['shift-20250405-0200@mso.example.org']), 13, 'Sydney night as AEDT ends');
  assert.equal(hours(byUid['shift-20251102-0044@mso.example.org']), 8, 'the second 01:30, written in UTC');
  assert.equal(hours(byUid['shift-20251102-0045@mso.example.org']), 12, 'Phoenix has no DST');
  assert.equal(byUid['shift-20251105-0043@mso.example.org'].startDate.zone.tzid, 'UTC');
});

test('every TZID has its VTIMEZONE', () => {
  const vcal = parse(text());
  const defined = new Set(vcal.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid')));
  for (const ve of vcal.getAllSubcomponents('vevent')) {
    for (const name of ['dtstart', 'dtend']) {
      const tzid = ve.getFirstProperty(name).getParameter('tzid');
      if (tzid) assert.ok(defined.has(tzid), `${tzid} is defined`);
    }
  }
  assert.deepEqual([...defined].sort(), ['America/Chicago', 'America/Phoenix', 'Australia/Sydney', 'Europe/London']);
});
