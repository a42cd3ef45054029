// The application shell: the public sign-up pages, sign-in when there is no session, otherwise
// the header (live indicator, user, sign-out), role-aware navigation, and the page for the current path.
import { Suspense, lazy, useEffect, useRef, type ReactElement } from 'react';
import { AuditPage } from '../features/audit/AuditPage';
import { SignInPage } from '../features/auth/SignInPage';
import { ConfirmSignupPage } from '../features/signup/ConfirmSignupPage';
import { SignUpPage } from '../features/signup/SignUpPage';
import { AccountPage } from '../features/identity/AccountPage';
import { UsersPage } from '../features/identity/UsersPage';
import { FacilitiesPage } from '../features/org/FacilitiesPage';
import { FacilityPage } from '../features/org/FacilityPage';
import { MyShiftsPage } from '../features/marketplace/MyShiftsPage';
import { OpenShiftsPage } from '../features/marketplace/OpenShiftsPage';
import { ShiftsPage } from '../features/marketplace/ShiftsPage';
import { ApprovalQueuePage } from '../features/marketplace/ApprovalQueuePage';
import { FillRatesPage } from '../features/marketplace/FillRatesPage';
import { ArAgingPage } from '../features/billing/ArAgingPage';
import { ClinicianPage } from '../features/credentialing/ClinicianPage';
import { CompliancePage } from '../features/credentialing/CompliancePage';
import { MyProfilePage } from '../features/credentialing/MyProfilePage';
import { ScreeningPage } from '../features/credentialing/ScreeningPage';
import { VerificationQueuePage } from '../features/credentialing/VerificationQueuePage';
import { InvoicePage } from '../features/billing/InvoicePage';
import { InvoicesPage } from '../features/billing/InvoicesPage';
import { MyPayStatementsPage } from '../features/payroll/MyPayStatementsPage';
import { PayRunPage } from '../features/payroll/PayRunPage';
import { PayRunsPage } from '../features/payroll/PayRunsPage';
import { PayStatementPage } from '../features/payroll/PayStatementPage';
import { MyTimesheetsPage } from '../features/timekeeping/MyTimesheetsPage';
import { TimesheetPage } from '../features/timekeeping/TimesheetPage';
import { TimesheetQueuePage } from '../features/timekeeping/TimesheetQueuePage';
import type { User } from '../api/types';
import { homeFor, navFor, roleLabel } from './access';
import { LiveIndicator, Toasts, useLiveEvents } from './live';
import { Link, navigate, usePath } from './router';
import { useSession } from './session';

// The calendar brings FullCalendar (the largest dependency): loaded when first opened.
const ShiftCalendarPage = lazy(() =>
  import('../features/marketplace/ShiftCalendarPage').then((m) => ({ default: m.ShiftCalendarPage })));

function route(path: string): ReactElement {
  if (path === '/facilities') return <FacilitiesPage />;
  const facility = /^\/facilities\/(\d+)$/.exec(path);
  if (facility?.[1]) return <FacilityPage id={Number(facility[1])} />;
  if (path === '/users') return <UsersPage />;
  if (path === '/audit') return <AuditPage />;
  if (path === '/account') return <AccountPage />;
  if (path === '/open-shifts') return <OpenShiftsPage />;
  if (path === '/my-shifts') return <MyShiftsPage />;
  if (path === '/my-timesheets') return <MyTimesheetsPage />;
  if (path === '/shifts') return <ShiftsPage />;
  if (path === '/shift-calendar') return <ShiftCalendarPage />;
  if (path === '/approvals') return <ApprovalQueuePage />;
  if (path === '/fill-rates') return <FillRatesPage />;
  if (path === '/timesheets') return <TimesheetQueuePage />;
  const timesheet = /^\/timesheets\/(\d+)$/.exec(path);
  if (timesheet?.[1]) return <TimesheetPage key={timesheet[1]} id={Number(timesheet[1])} />;
  if (path === '/pay-runs') return <PayRunsPage />;
  const payRun = /^\/pay-runs\/(\d+)$/.exec(path);
  if (payRun?.[1]) return <PayRunPage key={payRun[1]} id={Number(payRun[1])} />;
  const statement = /^\/pay-statements\/(\d+)$/.exec(path);
  if (statement?.[1]) return <PayStatementPage key={statement[1]} id={Number(statement[1])} />;
  if (path === '/my-pay-statements') return <MyPayStatementsPage />;
  if (path === '/invoices') return <InvoicesPage />;
  const invoice = /^\/invoices\/(\d+)$/.exec(path);
  if (invoice?.[1]) return <InvoicePage key={invoice[1]} id={Number(invoice[1])} />;
  if (path === '/ar-aging') return <ArAgingPage />;
  if (path === '/my-profile') return <MyProfilePage />;
  const clinician = /^\/clinicians\/(\d+)$/.exec(path);
  if (clinician?.[1]) return <ClinicianPage key={clinician[1]} id={Number(clinician[1])} />;
  if (path === '/verification') return <VerificationQueuePage />;
  if (path === '/screening') return <ScreeningPage />;
  if (path === '/compliance') return <CompliancePage />;
  return (
    <>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>There is no page at this address. <Link to="/">Go to the start page</Link>.</p>
    </>
  );
}

function Shell({ user, fresh }: { user: User; fresh: boolean }) {
  const path = usePath();
  const { signOut } = useSession();
  const { connected, toasts, dismiss } = useLiveEvents();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    if (path === '/' || path === '/signin') navigate(homeFor(user.role), { replace: true });
  }, [path, user.role]);

  // Move focus to the new page's heading so keyboard and screen-reader users follow along
  // (also right after signing in, when the focused form has gone; not on a plain page load).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      if (!fresh) return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [path]);

  const entries = navFor(user.role);
  return (
    <div className="app">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <span className="brand">OpenMSO</span>
        <LiveIndicator connected={connected} />
        <span className="whoami">
          <span className="whoami-name">{user.display_name}</span>
          <span className="role-badge">{roleLabel(user.role)}</span>
        </span>
        <button type="button" className="button-secondary" onClick={() => void signOut()}>Sign out</button>
      </header>
      <div className="layout">
        <nav aria-label="Main">
          <ul>
            {entries.map((entry) => {
              const current = path === entry.path || path.startsWith(`${entry.path}/`);
              return (
                <li key={entry.path}>
                  <Link to={entry.path} aria-current={current ? 'page' : undefined}>{entry.label}</Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <main id="main" ref={main} tabIndex={-1}>
          <Suspense fallback={<p className="muted" role="status">Loading…</p>}>{route(path)}</Suspense>
        </main>
      </div>
      <Toasts toasts={toasts} dismiss={dismiss} />
    </div>
  );
}

export function App() {
  const { state } = useSession();
  const path = usePath();
  // Public pages: no session needed (a new clinician has none yet).
  if (path === '/signup') return <SignUpPage />;
  if (path === '/signup/confirm') return <ConfirmSignupPage />;
  if (state.status === 'loading') {
    return <main id="main" className="centered"><p role="status">Loading…</p></main>;
  }
  if (state.status === 'signed-out') return <SignInPage notice={state.notice} />;
  return <Shell key={state.user.id} user={state.user} fresh={state.fresh} />;
}
