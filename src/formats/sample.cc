// openmso-formats-sample DIR: writes sample files made by src/formats, each with a JSON
// manifest of what it should contain, for the independent checkers in tests/formats
// (@ach/ach reads the NACHA files, ical.js the iCalendar feed). Not installed.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "formats/formats.h"

namespace {

using namespace openmso;
using namespace openmso::formats;
using namespace std::chrono_literals;

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

bool Write(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return static_cast<bool>(out);
}

Instant Local(const char* local, const char* zone) { return ToInstant(*LocalDateTime::Parse(local), zone).value(); }

NachaEntry Entry(TransactionCode code, std::string routing, std::string account, int64_t cents, std::string id,
                 std::string name) {
  NachaEntry e;
  e.transaction_code = code;
  e.routing_number = std::move(routing);
  e.account_number = std::move(account);
  e.amount = Money::Cents(cents);
  e.individual_id = std::move(id);
  e.individual_name = std::move(name);
  return e;
}

NachaFile Section5() {  // ../shared/domain/nacha-ach.md §5
  NachaFile f;
  f.bank.immediate_destination = "123456780";
  f.bank.immediate_origin = "1123456789";
  f.bank.destination_name = "Example ODFI Bank";
  f.bank.origin_name = "Sunrise Staffing MSO";
  f.created_at = Local("2025-01-17T09:30", "America/Chicago");
  f.time_zone = "America/Chicago";
  f.reference_code = "PAY0117";
  NachaBatch b;
  b.company_name = "Sunrise Staffing";
  b.company_id = "1123456789";
  b.entry_description = "PAYROLL";
  b.descriptive_date = "250117";
  b.effective_date = *Date::Parse("2025-01-21");
  b.odfi_routing_number = "123456780";
  b.entries = {Entry(TransactionCode::kCheckingCredit, "011000015", "000123456789", 163245, "EMP0001", "Rivera Ana"),
               Entry(TransactionCode::kSavingsCredit, "091000019", "88007766", 110987, "EMP0002", "Okafor Ben"),
               Entry(TransactionCode::kCheckingCreditPrenote, "322271627", "5550001", 0, "EMP0003", "Nguyen Chi")};
  f.batches.push_back(b);
  return f;
}

// Two batches (a PPD payroll of 23 clinicians, a same-day CCD instant-pay batch), balanced
// with offsets, CRLF, with addenda.
NachaFile Payroll() {
  NachaFile f = Section5();
  f.bank.line_ending = LineEnding::kCrLf;
  f.bank.offset = NachaOffsetAccount{"123456780", "9988776655", false, "Sunrise Staffing MSO", "OFFSET"};
  f.file_id_modifier = 'B';
  const char* routings[] = {"011000015", "021000021", "121000358", "091000019", "322271627", "123456780"};
  const char* names[] = {"Rivera Ana", "Okafor Ben", "Nguyen Chi", "Muñoz Dolores", "O'Brien Eamon", "Zoë Fischer"};
  auto& payroll = f.batches[0].entries;
  payroll.clear();
  for (int i = 0; i < 23; ++i) {
    NachaEntry e = Entry(i % 4 == 3 ? TransactionCode::kSavingsCredit : TransactionCode::kCheckingCredit, routings[i % 6],
                         "4400" + std::to_string(1000 + i), 98765 + 1111 * i, "EMP" + std::to_string(1000 + i),
                         std::string(names[i % 6]) + " " + std::to_string(i));
    if (i % 7 == 0) e.addenda = "PAY PERIOD 2025-01-05 TO 2025-01-18 STATEMENT PS-" + std::to_string(1000 + i);
    payroll.push_back(e);
  }
  NachaBatch instant = f.batches[0];
  instant.sec_code = SecCode::kCcd;
  instant.entry_description = "INSTANTPAY";
  instant.descriptive_date = "";
  instant.entries = {Entry(TransactionCode::kCheckingCredit, "021000021", "77001234", 42550, "EMP1001", "Okafor Ben")};
  instant.entries[0].addenda = "TIMESHEET TS-000042";
  f.batches.push_back(MakeSameDayBatch(f, instant).value());
  return f;
}

std::string NachaManifest(const NachaSummary& s) {
  std::string out = "{\n  \"entries\": [\n";
  for (size_t i = 0; i < s.entries.size(); ++i) {
    const auto& e = s.entries[i];
    out += "    {\"batch\": " + std::to_string(e.batch_index) + ", \"code\": " + std::to_string(e.transaction_code) +
           ", \"routing\": " + JsonString(e.routing_number) + ", \"account\": " + JsonString(e.account_number) +
           ", \"amount\": " + std::to_string(e.amount.cents()) + ", \"id\": " + JsonString(e.individual_id) +
           ", \"name\": " + JsonString(e.individual_name) + ", \"trace\": " + JsonString(e.trace_number) +
           ", \"addenda\": " + (e.addenda ? JsonString(*e.addenda) : "null") + "}" +
           (i + 1 < s.entries.size() ? ",\n" : "\n");
  }
  out += "  ],\n  \"batches\": " + std::to_string(s.batch_count) + ",\n  \"lineEnding\": " +
         (s.line_ending == LineEnding::kCrLf ? "\"CRLF\"" : "\"LF\"") + "\n}\n";
  return out;
}

CalendarEvent Event(std::string uid, Instant start, Instant end, std::string zone, std::string summary) {
  CalendarEvent e;
  e.uid = std::move(uid);
  e.start = start;
  e.end = end;
  e.time_zone = std::move(zone);
  e.summary = std::move(summary);
  return e;
}

Calendar Feed() {
  Calendar c;
  c.name = "Ana Rivera RN - shifts";
  c.refresh_interval = 60min;
  c.generated_at = *ParseInstant("2025-10-20T15:00:00Z");
  CalendarEvent night = Event("shift-20251101-0042@mso.example.org", Local("2025-11-01T19:00", "America/Chicago"),
                              Local("2025-11-02T07:00", "America/Chicago"), "America/Chicago",
                              "Night shift - Med/Surg, Riverside Care Center");
  night.location = "Riverside Care Center, 4th floor (Med/Surg)";
  night.description =
      "RN night shift; report to charge nurse. Clocks fall back at 02:00 so this shift is 13 hours of elapsed time; "
      "café voucher at front desk.";
  night.url = "https://mso.example.org/shifts/20251101-0042";
  night.last_modified = *ParseInstant("2025-10-19T08:00:00Z");
  CalendarEvent spring = Event("shift-20250308-0007@mso.example.org", Local("2025-03-08T19:00", "America/Chicago"),
                               Local("2025-03-09T07:00", "America/Chicago"), "America/Chicago",
                               "Night shift over spring forward");
  CalendarEvent cancelled = Event("shift-20251105-0043@mso.example.org", *ParseInstant("2025-11-05T13:00:00Z"),
                                  *ParseInstant("2025-11-06T01:00:00Z"), "", "Day shift - ICU (cancelled by facility)");
  cancelled.status = EventStatus::kCancelled;
  cancelled.sequence = 2;
  CalendarEvent london = Event("shift-20251025-0100@mso.example.org", Local("2025-10-25T20:00", "Europe/London"),
                               Local("2025-10-26T08:00", "Europe/London"), "Europe/London", "London night over BST end");
  london.status = EventStatus::kTentative;
  CalendarEvent sydney = Event("shift-20250405-0200@mso.example.org", Local("2025-04-05T19:00", "Australia/Sydney"),
                               Local("2025-04-06T07:00", "Australia/Sydney"), "Australia/Sydney",
                               "Sydney night over AEDT end");
  CalendarEvent second = Event("shift-20251102-0044@mso.example.org", *ParseInstant("2025-11-02T07:30:00Z"),
                               *ParseInstant("2025-11-02T15:30:00Z"), "America/Chicago",
                               "Starts at the second 01:30");
  CalendarEvent phoenix = Event("shift-20251102-0045@mso.example.org", Local("2025-11-02T07:00", "America/Phoenix"),
                                Local("2025-11-02T19:00", "America/Phoenix"), "America/Phoenix", "Phoenix day shift");
  phoenix.description =
      "Escapes: comma, semicolon; backslash \\ and a\nnew line. Unicode: Zoë, Łódź, 東京, 😀 — folded at 75 octets "
      "without splitting any of these characters, however long this description becomes, and it is long.";
  c.events = {night, spring, cancelled, london, sydney, second, phoenix};
  return c;
}

std::string IcsManifest(const Calendar& c) {
  std::string out = "{\n  \"name\": " + JsonString(c.name) + ",\n  \"events\": [\n";
  for (size_t i = 0; i < c.events.size(); ++i) {
    const auto& e = c.events[i];
    const char* status = e.status == EventStatus::kCancelled   ? "CANCELLED"
                         : e.status == EventStatus::kTentative ? "TENTATIVE"
                                                               : "CONFIRMED";
    out += "    {\"uid\": " + JsonString(e.uid) + ", \"startUtc\": " + JsonString(FormatInstant(e.start)) +
           ", \"endUtc\": " + JsonString(FormatInstant(e.end)) + ", \"timeZone\": " + JsonString(e.time_zone) +
           ", \"summary\": " + JsonString(e.summary) + ", \"location\": " + JsonString(e.location) +
           ", \"description\": " + JsonString(e.description) + ", \"status\": \"" + status +
           "\", \"sequence\": " + std::to_string(e.sequence) + "}" + (i + 1 < c.events.size() ? ",\n" : "\n");
  }
  return out + "  ]\n}\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: openmso-formats-sample DIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  auto fail = [](const std::string& what, const Error& e) {
    std::cerr << what << ": " << e.message << " " << (e.fields.empty() ? e.log_detail : e.fields[0].field + " " + e.fields[0].code)
              << "\n";
    return 1;
  };
  auto section5 = WriteNacha(Section5());
  if (!section5.ok()) return fail("section5.ach", section5.error());
  auto payroll = WriteNacha(Payroll());
  if (!payroll.ok()) return fail("payroll.ach", payroll.error());
  auto feed = WriteICalendar(Feed());
  if (!feed.ok()) return fail("shifts.ics", feed.error());
  bool ok = Write(dir + "/section5.ach", *section5) &&
            Write(dir + "/section5.json", NachaManifest(ParseNacha(*section5).value())) &&
            Write(dir + "/payroll.ach", *payroll) &&
            Write(dir + "/payroll.json", NachaManifest(ParseNacha(*payroll).value())) &&
            Write(dir + "/shifts.ics", *feed) && Write(dir + "/shifts.json", IcsManifest(Feed()));
  if (!ok) {
    std::cerr << "cannot write to " << dir << "\n";
    return 1;
  }
  std::cout << "wrote section5.ach payroll.ach shifts.ics (+ .json manifests) to " << dir << "\n";
  return 0;
}
