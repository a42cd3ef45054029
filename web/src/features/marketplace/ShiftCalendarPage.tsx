// "Calendar": a facility's shifts on a week or month calendar (FullCalendar, MIT), one colour
// per unit with the unit named on every event and a filter by unit (the resource-timeline
// views are premium, so units are colours and a filter rather than rows). Times are the
// facility's wall-clock times (start_local/end_local) shown as is: the calendar runs in
// "UTC" as a floating clock, so a night over the autumn DST change reads 19:00-07:00 and
// is 13 hours long in the panel. Live "shift.*" and "claim.*" events of the facility
// refresh it without a reload (a claim elsewhere turns an event "filled" at once).
import { useCallback, useId, useMemo, useRef, useState } from 'react';
import FullCalendar from '@fullcalendar/react';
import dayGridPlugin from '@fullcalendar/daygrid';
import timeGridPlugin from '@fullcalendar/timegrid';
import type { DatesSetArg, EventClickArg, EventContentArg, EventInput } from '@fullcalendar/core';
import { api } from '../../api/client';
import type { Shift } from '../../api/types';
import { useLiveEvent } from '../../shell/live';
import { LoadError, Loading, useReloadable } from '../../shell/load';
import { useUser } from '../../shell/session';
import { useFacilityChoice } from '../org/FacilityPicker';
import { PostShiftForm } from './PostShiftForm';
import { ShiftPanel } from './ShiftPanel';
import { shiftStatusLabel, shiftWhen } from './labels';
import { unitColor } from './units';
import './marketplace.css';

interface Range {
  from: string;
  to: string;
}

const kDay = 86_400_000;

function fillText(s: Shift): string {
  if (s.status === 'cancelled') return 'cancelled';
  return `${s.filled}/${s.openings} filled`;
}

export function ShiftCalendarPage() {
  const user = useUser();
  const canManage = user.role === 'mso_admin' || user.role === 'facility_manager';
  const { load: facilities, facility, picker } = useFacilityChoice();
  const facilityId = facility?.id ?? 0;
  const [range, setRange] = useState<Range | null>(null);
  const [hidden, setHidden] = useState<Set<number>>(new Set());
  const [selected, setSelected] = useState<number | null>(null);
  const [posting, setPosting] = useState(false);
  const [posted, setPosted] = useState<{ shift: Shift; count: number } | null>(null);
  const unitsId = useId();
  const calendar = useRef<FullCalendar>(null);

  const meta = useReloadable(async () => {
    if (!facilityId) return null;
    const [units, disciplines] = await Promise.all([api.units(facilityId), api.disciplines()]);
    return { units: units.items, disciplines: disciplines.items };
  }, [facilityId]);
  const { state, reload } = useReloadable(async () => {
    if (!facilityId || !range) return null;
    return (await api.facilityShiftsBetween(facilityId, range.from, range.to)).items;
  }, [facilityId, range?.from, range?.to]);
  useLiveEvent((event) => {
    if ((event.type.startsWith('shift.') || event.type.startsWith('claim.')) && event.facility_id === facilityId) reload();
  });

  // The visible range is in floating facility time; a day either side covers every zone.
  const onDates = useCallback((arg: DatesSetArg) => {
    const from = new Date(arg.start.getTime() - kDay).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const to = new Date(arg.end.getTime() + kDay).toISOString().replace(/\.\d{3}Z$/, 'Z');
    setRange((r) => (r && r.from === from && r.to === to ? r : { from, to }));
  }, []);

  const units = meta.state.status === 'ok' && meta.state.data ? meta.state.data.units : [];
  const unitIds = units.map((u) => u.id);
  const shifts = state.status === 'ok' && state.data ? state.data : [];
  const events: EventInput[] = useMemo(() => shifts.filter((s) => !hidden.has(s.unit_id)).map((s) => {
    const color = s.status === 'cancelled' ? '#8a94a3' : unitColor(unitIds, s.unit_id);
    return {
      id: String(s.id),
      start: s.start_local,
      end: s.end_local,
      title: `${units.find((u) => u.id === s.unit_id)?.name ?? `Unit #${s.unit_id}`} · ${s.discipline} · ${fillText(s)}`,
      backgroundColor: color,
      borderColor: s.status === 'open' ? '#f0a202' : color,
      classNames: [`shift-event`, `shift-${s.status}`],
      extendedProps: { shift: s },
    };
  }), [shifts, hidden, units]);

  const renderEvent = (arg: EventContentArg) => {
    const s = arg.event.extendedProps.shift as Shift;
    const unit = units.find((u) => u.id === s.unit_id)?.name ?? `Unit #${s.unit_id}`;
    return (
      <div className="shift-event-body" data-shift-id={s.id} data-status={s.status} data-filled={s.filled}
        title={`${unit}, ${s.discipline}, ${shiftWhen(s)}: ${shiftStatusLabel(s.status)}, ${s.filled} of ${s.openings} filled`}>
        <span className="shift-event-time">{arg.timeText}</span>{' '}
        <span className="shift-event-unit">{unit}</span>{' '}
        <span>{s.discipline}</span>{' '}
        <span className="shift-event-fill">{fillText(s)}</span>
      </div>
    );
  };
  const onClick = (arg: EventClickArg) => {
    arg.jsEvent.preventDefault();
    setSelected(Number(arg.event.id));
  };
  const toggle = (id: number) => setHidden((h) => {
    const next = new Set(h);
    if (next.has(id)) next.delete(id); else next.add(id);
    return next;
  });

  return (
    <>
      <h1 tabIndex={-1}>Calendar</h1>
      <div className="filters">
        {picker}
        {canManage && facility && meta.state.status === 'ok' && !posting && (
          <button type="button" onClick={() => { setPosted(null); setPosting(true); }}>Post a shift</button>
        )}
      </div>
      {facilities.status === 'loading' && <Loading />}
      {facilities.status === 'error' && <LoadError error={facilities.error} />}
      {facilities.status === 'ok' && !facility && <p>No facilities are assigned to you.</p>}
      {meta.state.status === 'error' && <LoadError error={meta.state.error} />}
      {posted && <p className="notice notice-ok" role="status">Posted: {shiftWhen(posted.shift)} ({posted.shift.discipline})
          {posted.count > 1 && ` and ${posted.count - 1} more like it`}.</p>}
      {facility && posting && meta.state.status === 'ok' && meta.state.data && (
        <PostShiftForm facility={facility} units={meta.state.data.units} disciplines={meta.state.data.disciplines}
          onPosted={(shift, count) => {
            setPosting(false);
            setPosted({ shift, count });
            // Show the week of the new shift (it may be a later one).
            calendar.current?.getApi().gotoDate(shift.start_local.slice(0, 10));
            reload();
          }} onCancel={() => setPosting(false)} />
      )}
      {facility && units.length > 0 && (
        <fieldset className="unit-filter" aria-describedby={`${unitsId}-hint`}>
          <legend>Units</legend>
          <span id={`${unitsId}-hint`} className="hint">Each unit has its colour; an open shift has an amber border.</span>
          <div className="unit-list">
            {units.map((u) => (
              <label key={u.id} className="unit-choice">
                <input type="checkbox" checked={!hidden.has(u.id)} onChange={() => toggle(u.id)} />
                <span className="swatch" style={{ background: unitColor(unitIds, u.id) }} aria-hidden="true" />
                {u.name}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      {facility && state.status === 'error' && <LoadError error={state.error} />}
      {facility && (
        <div className="calendar" aria-label={`Shifts at ${facility.name} (facility time, ${facility.time_zone})`} role="region"
          data-loaded={state.status === 'ok' && state.data ? 'true' : 'false'}>
          <FullCalendar
            ref={calendar}
            plugins={[timeGridPlugin, dayGridPlugin]}
            initialView="timeGridWeek"
            timeZone="UTC"
            firstDay={1}
            height="auto"
            allDaySlot={false}
            nowIndicator={false}
            slotDuration="01:00:00"
            eventTimeFormat={{ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }}
            slotLabelFormat={{ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }}
            headerToolbar={{ left: 'prev,next today', center: 'title', right: 'timeGridWeek,dayGridMonth' }}
            buttonIcons={false}
            buttonText={{ prev: '‹ Previous', next: 'Next ›', today: 'Today', week: 'Week', month: 'Month' }}
            buttonHints={{ prev: 'Previous $0', next: 'Next $0', today: 'This $0' }}
            events={events}
            eventContent={renderEvent}
            eventClick={onClick}
            datesSet={onDates}
          />
        </div>
      )}
      {facility && selected !== null && (
        <ShiftPanel key={selected} shiftId={selected} units={units} canManage={canManage} onChanged={reload}
          onClose={() => setSelected(null)} />
      )}
    </>
  );
}
