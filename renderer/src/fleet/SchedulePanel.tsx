import { useEffect, useState } from 'react';
import { useApp } from '../store.js';
import { setSchedule } from './fleet-store.js';
import { duration } from '../collateral/humanise.js';

/** "Re-verify every N minutes while the app is open", with the next run's time and a live countdown. */
export function SchedulePanel() {
  const schedule = useApp((s) => s.schedule);
  const [minutes, setMinutes] = useState(String(schedule.minutes));
  const now = useNow(schedule.enabled);
  const valid = /^\d+$/.test(minutes) && Number(minutes) >= 1 && Number(minutes) <= 1440;
  return (
    <section className="card" data-testid="fleet-schedule">
      <h2>Schedule</h2>
      <div className="schedule-row">
        <label className="inline">
          <input
            type="checkbox"
            checked={schedule.enabled}
            disabled={!valid}
            onChange={(e) => setSchedule(e.target.checked, Number(minutes))}
            data-testid="schedule-enabled"
          />
          Re-verify every
        </label>
        <input
          type="number"
          min={1}
          max={1440}
          className="minutes"
          value={minutes}
          aria-label="minutes between runs"
          aria-invalid={!valid}
          onChange={(e) => (
            setMinutes(e.target.value),
            schedule.enabled && /^\d+$/.test(e.target.value) && Number(e.target.value) >= 1 && setSchedule(true, Number(e.target.value))
          )}
          data-testid="schedule-minutes"
        />
        <span>minutes while the app is open</span>
      </div>
      <p className="hint" data-testid="schedule-next">
        {schedule.enabled && schedule.nextRunAt
          ? `Next run at ${new Date(schedule.nextRunAt).toLocaleTimeString()} (in ${duration(Math.max(0, schedule.nextRunAt - now))}).`
          : 'Off. Nothing runs in the background once the app is closed.'}
      </p>
    </section>
  );
}

/** The clock, ticking each second while a countdown is shown. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [active]);
  return now;
}
