// The file formats OpenMSO writes for banks, payroll providers, spreadsheets, people and
// calendar apps: NACHA ACH files, CSV, XLSX, PDF pay statements and invoices, iCalendar.
// A pure library: values in, bytes out; no database, no HTTP. Rule ids (NACHA-*, CSV-*,
// ICAL-*) cite ../shared/domain/nacha-ach.md, ../shared/domain/fhir-and-calendar.md part B,
// RFC 4180 and RFC 5545; the registry is docs/rules.md.
//
// Thread-safety: every function is reentrant; nothing here keeps global state (libharu and
// libxlsxwriter objects live only inside one call).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace openmso::formats {

// ======================================================================================
// NACHA ACH (nacha-ach.md §2-§6)
// ======================================================================================

// Checks an ABA routing number (NACHA-RTN): exactly 9 characters, all digits, the first two
// in an assigned range (00, 01-12, 21-32, 61-72, 80) and the 3-7-1 check digit.
// Errors: kInvalidArgument with one field "routing_number" whose code says why: "length",
// "not_digits", "prefix" or "check_digit" (checked in that order).
// Note: an adjacent transposition of two digits that differ by 5 passes (nacha-ach.md §3).
Result<void> ValidateRoutingNumber(std::string_view routing_number);

// The 3-7-1 check digit ('0'..'9') of the first eight digits of a routing number.
// REQUIRES: first_eight is 8 ASCII digits.
char RoutingCheckDigit(std::string_view first_eight);

// Checks a DFI account number (NACHA-ACCOUNT): 1-17 characters of A-Z, a-z, 0-9 and '-'.
// Errors: kInvalidArgument, field "account_number", code "length" or "invalid_characters".
Result<void> ValidateAccountNumber(std::string_view account_number);

// Upper-cases a name for an alphanumeric NACHA field, transliterates Latin letters with
// diacritics ("Muñoz" -> "MUNOZ"), drops characters outside A-Z 0-9 space . , - ' & / # ( ),
// collapses runs of spaces, trims, and cuts to `width` characters (then trims again).
std::string SanitizeNachaText(std::string_view text, size_t width);

enum class LineEnding { kLf, kCrLf };
enum class ServiceClass { kMixed = 200, kCreditsOnly = 220, kDebitsOnly = 225 };
enum class SecCode { kPpd, kCcd };
std::string_view SecCodeName(SecCode c);  // "PPD", "CCD"

// The transaction codes we originate (nacha-ach.md §2.3); returns (21, 26, 31, 36) are
// produced by banks and are not representable here.
enum class TransactionCode {
  kCheckingCredit = 22,
  kCheckingCreditPrenote = 23,
  kCheckingZeroDollarCredit = 24,  // zero-dollar credit with remittance data
  kCheckingDebit = 27,
  kCheckingDebitPrenote = 28,
  kSavingsCredit = 32,
  kSavingsCreditPrenote = 33,
  kSavingsZeroDollarCredit = 34,
  kSavingsDebit = 37,
  kSavingsDebitPrenote = 38,
};
bool IsCredit(TransactionCode c);      // 22, 23, 24, 32, 33, 34
bool IsPrenote(TransactionCode c);     // 23, 28, 33, 38
bool IsZeroDollar(TransactionCode c);  // prenotes and 24, 34: the amount must be zero
std::optional<TransactionCode> ParseTransactionCode(int code);

// The originator's own account for the offsetting entry of a balanced file (NACHA-BALANCED).
struct NachaOffsetAccount {
  std::string routing_number;  // 9 digits
  std::string account_number;
  bool savings = false;        // debit 37 / credit 32 instead of 27 / 22
  std::string name;            // written in the individual name field (sanitized, <= 22)
  std::string individual_id = "OFFSET";  // <= 15
};

// What the ODFI (the MSO's bank) asks for; one per bank, kept as configuration.
struct NachaBankProfile {
  std::string immediate_destination;  // the 9-digit routing number; written as ' ' + 9 digits
  // 10 characters as the bank assigns them (often '1' + EIN); 9 digits are written with a
  // leading space.
  std::string immediate_origin;
  std::string destination_name;  // the bank's name, sanitized, cut to 23
  std::string origin_name;       // the company's name, sanitized, cut to 23
  LineEnding line_ending = LineEnding::kLf;
  // Set: balanced files. Each batch gets an offsetting entry to this account so that its
  // debits equal its credits, and service class 200 (nacha-ach.md §2.8).
  std::optional<NachaOffsetAccount> offset;
  // Same Day ACH per-entry limit (NACHA-SAME-DAY); default USD 1,000,000.
  Money same_day_entry_limit = Money::Cents(100'000'000);
};

struct NachaEntry {
  TransactionCode transaction_code = TransactionCode::kCheckingCredit;
  std::string routing_number;      // the RDFI's 9 digits, validated (NACHA-RTN)
  std::string account_number;      // 1-17 characters (NACHA-ACCOUNT)
  Money amount;                    // cents; >= 0, zero for prenotes (NACHA-AMOUNT)
  std::string individual_id;       // <= 15 of the NACHA set (employee id; never an SSN)
  std::string individual_name;     // sanitized and cut to 22 (SanitizeNachaText)
  std::string discretionary_data;  // <= 2
  // One addenda record (type 05) with up to 80 characters of payment-related information.
  std::optional<std::string> addenda;
};

struct NachaBatch {
  ServiceClass service_class = ServiceClass::kCreditsOnly;
  std::string company_name;                // sanitized and cut to 16 (shown to the receiver)
  std::string company_discretionary_data;  // <= 20
  std::string company_id;                  // 1-10 characters, usually '1' + EIN
  SecCode sec_code = SecCode::kPpd;
  std::string entry_description;           // 1-10, e.g. "PAYROLL" (shown to the receiver)
  std::string descriptive_date;            // <= 6, optional, e.g. "JAN 17"
  Date effective_date;                     // not before the file's local creation date
  std::string odfi_routing_number;         // 9 digits; the first 8 are the originating DFI id
  std::vector<NachaEntry> entries;         // at least one
};

struct NachaFile {
  NachaBankProfile bank;
  Instant created_at;            // written as the local date and time in `time_zone`
  std::string time_zone;         // IANA zone of the originator, e.g. "America/Chicago"
  char file_id_modifier = 'A';   // A-Z or 0-9: distinguishes files created the same day
  std::string reference_code;    // <= 8, optional
  std::vector<NachaBatch> batches;  // at least one
};

// One entry detail record as read back from a file.
struct NachaEntryRecord {
  size_t batch_index = 0;          // 0-based
  int transaction_code = 0;
  std::string routing_number;      // 8-digit RDFI id + check digit
  std::string account_number;      // trailing spaces removed
  Money amount;
  std::string individual_id;       // trailing spaces removed
  std::string individual_name;     // trailing spaces removed
  std::string trace_number;        // 15 digits: ODFI id + 7-digit sequence
  std::optional<std::string> addenda;  // payment-related information, trailing spaces removed
  bool operator==(const NachaEntryRecord&) const = default;
};

// One batch's control values as read back (and checked against the recomputed ones).
struct NachaBatchRecord {
  int service_class = 0;
  std::string company_id;
  std::string sec_code;
  std::string entry_description;
  std::string effective_date;  // YYMMDD
  std::string odfi_id;         // 8 digits
  int64_t batch_number = 0;
  int64_t entry_addenda_count = 0;
  int64_t entry_hash = 0;      // rightmost 10 digits of the sum (NACHA-ENTRY-HASH)
  Money total_debit, total_credit;
  bool operator==(const NachaBatchRecord&) const = default;
};

struct NachaSummary {
  LineEnding line_ending = LineEnding::kLf;
  int64_t record_count = 0;  // every record, padding included: a multiple of 10
  int64_t batch_count = 0;
  int64_t block_count = 0;
  int64_t entry_addenda_count = 0;
  int64_t entry_hash = 0;
  Money total_debit, total_credit;
  std::vector<NachaBatchRecord> batches;
  std::vector<NachaEntryRecord> entries;  // in file order, with their trace numbers
  bool operator==(const NachaSummary&) const = default;
};

// Writes the file (NACHA-LAYOUT): one file header; per batch a header, its entries (each
// with its addenda), the balancing offset entry when the bank profile asks for one, and a
// control; the file control; padding with 94 '9's to a multiple of 10 records
// (NACHA-BLOCKING). Trace numbers ascend across batches from 1 (NACHA-TRACE). Batch numbers
// are 1, 2, ... Before returning it re-parses its own bytes with ParseNacha and checks the
// counts, hashes, totals and every entry against values computed from `file`
// (NACHA-RECHECK). Use ParseNacha(result) to read the trace numbers for return matching.
// Errors: kInvalidArgument naming the first bad field, e.g. "batches[0].entries[2].amount"
// with code "negative", "nonzero_prenote", "too_large", "same_day_limit"; ".routing_number"
// with the ValidateRoutingNumber code; ".transaction_code" with "debit_in_credit_batch" or
// "credit_in_debit_batch"; "time_zone" "unknown"; "batches" "empty"; kInternal when the
// self-check fails (a bug).
Result<std::string> WriteNacha(const NachaFile& file);

// Reads a NACHA file and checks it: every line 94 printable characters and one line ending
// (LF or CRLF) throughout; the record order 1 (5 (6 [7])* 8)* 9 then '9' padding to a
// multiple of 10 records; fixed header fields; batch numbers ascending; addenda indicators
// matching; trace numbers ascending; each batch control and the file control equal to the
// counts, entry hashes and totals recomputed from the entry records; prenotes zero; no
// debits in a 220 batch nor credits in a 225 batch.
// Errors: kInvalidArgument with field "line N" (1-based) and a code such as "line_length",
// "record_order", "batch_total_mismatch", "file_hash_mismatch", "padding".
Result<NachaSummary> ParseNacha(std::string_view text);

// Prepares a Same Day ACH batch (NACHA-SAME-DAY): the effective date becomes the file's
// local creation date, and every entry must be at most file.bank.same_day_entry_limit.
// Errors: kInvalidArgument "entries[i].amount" "same_day_limit"; "time_zone" "unknown".
Result<NachaBatch> MakeSameDayBatch(const NachaFile& file, NachaBatch batch);

// ======================================================================================
// Tables: CSV and XLSX (the payroll register)
// ======================================================================================

// A typed spreadsheet cell. Build with the functions below.
struct Cell {
  enum class Kind { kEmpty, kText, kInteger, kMoney, kDate };
  Kind kind = Kind::kEmpty;
  std::string text;   // kText
  int64_t value = 0;  // kInteger: the number; kMoney: cents
  Date date;          // kDate
};
inline Cell TextCell(std::string text) { Cell c; c.kind = Cell::Kind::kText; c.text = std::move(text); return c; }
inline Cell IntegerCell(int64_t v) { Cell c; c.kind = Cell::Kind::kInteger; c.value = v; return c; }
inline Cell MoneyCell(Money m) { Cell c; c.kind = Cell::Kind::kMoney; c.value = m.cents(); return c; }
inline Cell DateCell(Date d) { Cell c; c.kind = Cell::Kind::kDate; c.date = d; return c; }
inline Cell EmptyCell() { return Cell{}; }

enum class ColumnTotal { kNone, kSum };

struct Column {
  std::string header;
  int width_chars = 0;  // XLSX column width in characters; 0 = the application's default
  ColumnTotal total = ColumnTotal::kNone;  // kSum: integer or money cells only
};

enum class TotalsRow {
  kNone,
  kValues,    // the sums computed here (exact integer cents)
  kFormulas,  // XLSX: =SUM(...) with the computed sum as the cached value; CSV: values
};

// INVARIANTS checked by the writers: every row has columns.size() cells; a kSum column holds
// only empty cells and cells of one kind, integer or money.
struct Sheet {
  std::string name;  // XLSX sheet name: 1-31 characters, none of []:*?/\ .
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
  TotalsRow totals = TotalsRow::kNone;
  std::string totals_label = "Total";  // in the first column unless that one is summed
};

struct Workbook {
  std::vector<Sheet> sheets;  // at least one
};

// One CSV field (RFC 4180, CSV-QUOTE): quoted when it contains '"', ',', CR or LF, with
// '"' doubled. With `formula_guard`, text starting with = + - @ TAB or CR gets a leading
// apostrophe so a spreadsheet does not run it as a formula (CSV-FORMULA-GUARD).
std::string CsvField(std::string_view text, bool formula_guard = true);

struct CsvOptions {
  bool byte_order_mark = false;  // a UTF-8 BOM first: older Excel needs it to read UTF-8
};

// The sheet as CSV: a header row, the rows, and the totals row when asked for; CRLF after
// every record, UTF-8 as given. Text cells are guarded (CsvField); integers plain, money as
// "1234.50" (no thousands separator, '-' when negative), dates as YYYY-MM-DD.
// Errors: kInvalidArgument "rows[i]" "cell_count"; "columns[j]" "sum_of_text" / "mixed_sum".
Result<std::string> WriteCsv(const Sheet& sheet, const CsvOptions& options = {});

// Writes an .xlsx file with libxlsxwriter: per sheet a bold header row, frozen, with an
// autofilter; column widths; text as strings (never formulas, so no injection); integers as
// numbers; money as the number cents/100 with format "#,##0.00" (a double at this boundary:
// spreadsheets store numbers as IEEE doubles, exact to the cent below 2^53 cents); dates as
// date serials with format "yyyy-mm-dd"; the totals row as asked.
// Errors: kInvalidArgument for a bad sheet (as WriteCsv, plus "sheets[k].name" "invalid"),
// "workbook" "empty"; kUnavailable when the file cannot be written.
Result<void> WriteXlsx(const std::string& path, const Workbook& workbook);
// The same, as bytes (written through a private temporary file).
Result<std::string> RenderXlsx(const Workbook& workbook);

// ======================================================================================
// PDF documents (libharu): pay statements and invoices
// ======================================================================================

// "$1,632.45", "-$12.00": from cents, no floating point.
std::string FormatUsd(Money m);
// Minutes as hours with two decimals, rounded half away from zero: 450 -> "7.50", 20 -> "0.33".
std::string FormatHours(std::chrono::minutes m);

enum class Align { kLeft, kCenter, kRight };

struct TableColumn {
  std::string header;
  int weight = 1;  // share of the table width
  Align align = Align::kLeft;
};

struct KeyValue {
  std::string key, value;
};

struct TextBlock {  // e.g. "Bill to" and its address lines
  std::string heading;
  std::vector<std::string> lines;
};

struct TotalLine {
  std::string label, value;
  bool emphasis = false;  // bold
};

// A one-table business document on US Letter pages. Text is UTF-8; characters outside
// Windows-1252 print as '?'. Table cells too wide for their column are cut with "...".
struct PdfDocument {
  std::string title;                 // top right, large
  std::vector<std::string> issuer;   // top left; the first line bold
  std::vector<KeyValue> header;      // key/value pairs under the title
  std::vector<TextBlock> parties;    // side by side under the header
  std::vector<TableColumn> columns;
  std::vector<std::vector<std::string>> rows;  // each columns.size() cells
  std::vector<TotalLine> totals;     // right-aligned block after the table
  std::vector<std::string> notes;    // paragraphs after the totals, wrapped
  std::string footer;                // bottom left of every page; "Page x of y" bottom right
};

// Lays the document out: the table continues on new pages under "<title> <first header
// value> (continued)", repeating its header row; the totals block moves to a new page when it
// does not fit. Returns the PDF bytes.
// Errors: kInvalidArgument "columns" "empty", "rows[i]" "cell_count"; kInternal when
// libharu reports an error.
Result<std::string> RenderPdf(const PdfDocument& doc);

struct PayStatementLine {
  std::string code;          // e.g. "REG", "OT", "DT", "NIGHT", "BONUS"
  std::string description;
  std::optional<std::chrono::minutes> hours;  // none for flat amounts
  std::optional<Money> rate;                  // per hour; none for flat amounts
  Money amount;
};

struct PayAdjustment {  // e.g. instant pay already paid for a timesheet: negative
  std::string description;
  Money amount;
};

struct PayStatementDoc {
  std::string issuer_name;
  std::vector<std::string> issuer_address;
  std::string statement_number;
  std::string employee_name;
  std::string employee_id;
  std::string worker_type;  // "W-2 employee" or "1099 contractor"
  Date period_start, period_end, pay_date;
  std::vector<PayStatementLine> lines;
  std::vector<PayAdjustment> adjustments;
  std::string deposit_note;  // e.g. "Direct deposit to account ending 6789"
  std::string footer_note;
};

// A pay statement: header (statement, pay period, pay date), employee, the earnings lines
// (code, description, hours, rate, amount), then totals computed here from the lines:
// total hours, gross (the sum of the amounts), each adjustment, and the net of this
// statement (gross + adjustments). Errors as RenderPdf.
Result<std::string> RenderPayStatementPdf(const PayStatementDoc& doc);

struct InvoiceLine {
  std::string timesheet_ref;  // traces the line to its approved timesheet
  Date work_date;
  std::string clinician;
  std::string discipline;
  std::chrono::minutes hours{0};
  Money rate;    // bill rate per hour
  Money amount;  // as billed (the invoicing rules round it)
};

struct InvoiceFee {  // the MSO's management fees
  std::string description;
  Money amount;
};

struct InvoicePayment {
  Date date;
  std::string reference;
  Money amount;  // positive: reduces the balance
};

struct InvoiceDoc {
  std::string issuer_name;
  std::vector<std::string> issuer_address;
  std::string invoice_number;  // human-readable, e.g. INV-2026-00042
  Date issue_date, due_date, period_start, period_end;
  std::string facility_name;
  std::vector<std::string> bill_to;
  std::vector<InvoiceLine> lines;
  std::vector<InvoiceFee> fees;
  std::vector<InvoicePayment> payments;
  std::string terms_note;  // e.g. "Net 30. Pay by ACH to ..."
};

// An invoice: header (number, dates, period), facility and bill-to, the lines (timesheet,
// date, clinician, discipline, hours, rate, amount), then totals computed here: labor
// subtotal, each fee, invoice total, each payment, balance due. Errors as RenderPdf.
Result<std::string> RenderInvoicePdf(const InvoiceDoc& doc);

// ======================================================================================
// iCalendar (RFC 5545; fhir-and-calendar.md part B)
// ======================================================================================

// Escapes a TEXT value (ICAL-TEXT): '\' -> "\\", ';' -> "\;", ',' -> "\,", CRLF/LF/CR ->
// "\n"; other control characters are dropped.
std::string EscapeICalText(std::string_view text);

// Folds one content line (ICAL-FOLD): physical lines of at most 75 octets, each ended by
// CRLF; continuation lines start with one space (which counts toward their 75); a UTF-8
// sequence is never split. REQUIRES: `line` holds no CR or LF.
std::string FoldICalLine(std::string_view line);

enum class EventStatus { kConfirmed, kTentative, kCancelled };

struct CalendarEvent {
  std::string uid;        // stable for the life of the shift, e.g. "shift-42@mso.example.org"
  Instant start, end;     // end > start; written to the second (milliseconds dropped)
  // IANA zone: DTSTART/DTEND as local times with TZID and a VTIMEZONE; empty: UTC ("...Z").
  std::string time_zone;
  std::string summary, location, description, url;
  EventStatus status = EventStatus::kConfirmed;
  int sequence = 0;       // bump on every significant change
  std::optional<Instant> last_modified;
};

struct Calendar {
  std::string product_id = "-//OpenMSO//Shift Feed 1.0//EN";
  std::string name;  // X-WR-CALNAME and NAME (RFC 7986) when not empty
  std::optional<std::chrono::minutes> refresh_interval;  // REFRESH-INTERVAL, X-PUBLISHED-TTL
  Instant generated_at;  // DTSTAMP of every event (UTC)
  std::vector<CalendarEvent> events;
};

// A VCALENDAR (VERSION 2.0, PRODID, CALSCALE GREGORIAN, METHOD PUBLISH) with one VTIMEZONE
// per zone used and one VEVENT per event (UID, DTSTAMP, SEQUENCE, DTSTART, DTEND, SUMMARY,
// LOCATION, DESCRIPTION, URL, STATUS, TRANSP, LAST-MODIFIED), folded, CRLF (ICAL-FEED).
// Times in a zone use TZID=<IANA name>, and the VTIMEZONE lists that zone's transitions
// from tzdata, one STANDARD/DAYLIGHT observance each, over the span of the events plus a
// week either side (ICAL-VTIMEZONE), so every local time in the file resolves exactly,
// whatever rules the zone had in those years. An event starting or ending in the second pass
// of a fall-back hour is written in UTC (a local time there would mean the first pass).
// Errors: kInvalidArgument "events[i].uid" "required"/"invalid", "events[i].end"
// "not_after_start", "events[i].time_zone" "unknown", "events[i].sequence" "negative".
Result<std::string> WriteICalendar(const Calendar& calendar);

// The VTIMEZONE component (folded, CRLF) for `zone` covering [from, to] as above.
// Errors: kInvalidArgument "time_zone" "unknown".
Result<std::string> VTimezone(std::string_view zone, Instant from, Instant to);

}  // namespace openmso::formats
