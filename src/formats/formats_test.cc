// Tests of the file formats: the NACHA worked example byte for byte and the routing table of
// ../shared/domain/nacha-ach.md, entry hash and blocking rules, the reader's checks; CSV
// quoting and the formula guard (read back by Python's csv module); XLSX read back by
// openpyxl; PDFs read back by pdftotext/pdfinfo; iCalendar escaping, folding and VTIMEZONE.
#include "formats/formats.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "formats/internal.h"

namespace openmso::formats {
namespace {

using namespace std::chrono_literals;

Instant At(const char* local, const char* zone) {
  return ToInstant(*LocalDateTime::Parse(local), zone).value();
}

// ---- helpers: run a program, temp files ----------------------------------------------

struct Output {
  int status = -1;
  std::string text;
};

Output RunCommand(const std::string& command) {
  Output o;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) return o;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) o.text.append(buf, n);
  o.status = pclose(p);
  return o;
}

// Debian's interpreter, where python3-openpyxl is installed (a pyenv python3 may come first
// on PATH without it).
const std::string kPython = "/usr/bin/python3";

std::string TempPath(const std::string& name) {
  return testing::TempDir() + "openmso-formats-" + std::to_string(::getpid()) + "-" + name;
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) ++n;
  return n;
}

std::vector<std::string> Lines(const std::string& text, const std::string& eol = "\n") {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t e = text.find(eol, pos);
    if (e == std::string::npos) e = text.size();
    out.push_back(text.substr(pos, e - pos));
    pos = e + eol.size();
  }
  return out;
}

// ======================================================================================
// NACHA
// ======================================================================================

// nacha-ach.md §5, byte for byte.
const std::string kSection5 =
    "101 12345678011234567892501170930A094101EXAMPLE ODFI BANK      SUNRISE STAFFING MSO   PAY0117 \n"
    "5220SUNRISE STAFFING                    1123456789PPDPAYROLL   250117250121   1123456780000001\n"
    "622011000015000123456789     0000163245EMP0001        RIVERA ANA              0123456780000001\n"
    "63209100001988007766         0000110987EMP0002        OKAFOR BEN              0123456780000002\n"
    "6233222716275550001          0000000000EMP0003        NGUYEN CHI              0123456780000003\n"
    "822000000300424271640000000000000000002742321123456789                         123456780000001\n"
    "9000001000001000000030042427164000000000000000000274232                                       \n"
    "9999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999\n"
    "9999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999\n"
    "9999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999\n";

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

// The §5 inputs: created 2025-01-17 09:30 (here in Chicago), effective 2025-01-21.
NachaFile Section5() {
  NachaFile f;
  f.bank.immediate_destination = "123456780";
  f.bank.immediate_origin = "1123456789";
  f.bank.destination_name = "Example ODFI Bank";
  f.bank.origin_name = "Sunrise Staffing MSO";
  f.created_at = At("2025-01-17T09:30", "America/Chicago");
  f.time_zone = "America/Chicago";
  f.file_id_modifier = 'A';
  f.reference_code = "PAY0117";
  NachaBatch b;
  b.service_class = ServiceClass::kCreditsOnly;
  b.company_name = "Sunrise Staffing";
  b.company_id = "1123456789";
  b.sec_code = SecCode::kPpd;
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

std::string FieldOf(const Result<std::string>& r) {
  return r.ok() || r.error().fields.empty() ? "" : r.error().fields[0].field;
}
std::string CodeOf(const Error& e) { return e.fields.empty() ? "" : e.fields[0].code; }

TEST(Nacha, WorkedExampleOfSection5IsReproducedByteForByte) {  // NACHA-LAYOUT, nacha-ach.md §5
  auto out = WriteNacha(Section5());
  ASSERT_TRUE(out.ok()) << FieldOf(out) << " " << (out.ok() ? "" : CodeOf(out.error()));
  EXPECT_EQ(*out, kSection5);
  auto s = ParseNacha(*out);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->entry_addenda_count, 3);
  EXPECT_EQ(s->entry_hash, 42427164);
  EXPECT_EQ(s->total_credit, Money::Cents(274232));
  EXPECT_EQ(s->total_debit, Money::Cents(0));
  EXPECT_EQ(s->block_count, 1);
  EXPECT_EQ(s->record_count, 10);
  ASSERT_EQ(s->entries.size(), 3u);
  EXPECT_EQ(s->entries[2].trace_number, "123456780000003");
  EXPECT_EQ(s->entries[0].individual_name, "RIVERA ANA");
}

TEST(Nacha, RoutingNumbersOfTheDomainTable) {  // NACHA-RTN, nacha-ach.md §3
  struct Row { const char* rtn; const char* code; };  // code "" = valid
  const Row rows[] = {
      {"011000015", ""},           {"021000021", ""},           {"121000358", ""},
      {"091000019", ""},           {"322271627", ""},           {"123456780", ""},
      {"021000022", "check_digit"}, {"011000051", "check_digit"}, {"091000018", "check_digit"},
      {"12100035", "length"},      {"02100002A", "not_digits"},  {"500000005", "prefix"},
      {"322721627", ""},  // a transposition typo the checksum cannot detect
  };
  for (const Row& row : rows) {
    auto r = ValidateRoutingNumber(row.rtn);
    if (*row.code == 0) {
      EXPECT_TRUE(r.ok()) << row.rtn;
    } else {
      ASSERT_FALSE(r.ok()) << row.rtn;
      EXPECT_EQ(r.error().fields[0].field, "routing_number") << row.rtn;
      EXPECT_EQ(r.error().fields[0].code, row.code) << row.rtn;
    }
  }
  EXPECT_EQ(RoutingCheckDigit("12345678"), '0');  // the worked examples
  EXPECT_EQ(RoutingCheckDigit("09100001"), '9');
  EXPECT_FALSE(ValidateRoutingNumber("").ok());
  EXPECT_EQ(CodeOf(ValidateRoutingNumber("1234567800").error()), "length");
  EXPECT_EQ(CodeOf(ValidateRoutingNumber("900000000").error()), "prefix");
}

TEST(Nacha, AccountNumbers) {  // NACHA-ACCOUNT
  EXPECT_TRUE(ValidateAccountNumber("000123456789").ok());
  EXPECT_TRUE(ValidateAccountNumber("12-AB-9").ok());
  EXPECT_TRUE(ValidateAccountNumber("12345678901234567").ok());
  EXPECT_EQ(CodeOf(ValidateAccountNumber("").error()), "length");
  EXPECT_EQ(CodeOf(ValidateAccountNumber("123456789012345678").error()), "length");
  EXPECT_EQ(CodeOf(ValidateAccountNumber("1234 5678").error()), "invalid_characters");
}

TEST(Nacha, EntryHashKeepsTheRightmostTenDigits) {  // NACHA-ENTRY-HASH, nacha-ach.md §4
  // 154 x 80000000 + 25678901 = 12,345,678,901 -> written as 2345678901.
  const std::string big = std::string("8000000") + "0" + RoutingCheckDigit("80000000");
  const std::string rest = std::string("25678901") + RoutingCheckDigit("25678901");
  ASSERT_TRUE(ValidateRoutingNumber(big).ok());
  ASSERT_TRUE(ValidateRoutingNumber(rest).ok());
  NachaFile f = Section5();
  f.batches[0].entries.clear();
  for (int i = 0; i < 154; ++i)
    f.batches[0].entries.push_back(Entry(TransactionCode::kCheckingCredit, big, "1000" + std::to_string(i), 100 + i,
                                         "E" + std::to_string(i), "Employee " + std::to_string(i)));
  f.batches[0].entries.push_back(Entry(TransactionCode::kCheckingCredit, rest, "42", 1, "LAST", "Last One"));
  auto out = WriteNacha(f);
  ASSERT_TRUE(out.ok());
  auto lines = Lines(*out);
  ASSERT_EQ(lines.size() % 10, 0u);
  const std::string& batch_control = lines[1 + 1 + 155];
  const std::string& file_control = lines[1 + 1 + 155 + 1];
  EXPECT_EQ(batch_control.substr(0, 1), "8");
  EXPECT_EQ(batch_control.substr(10, 10), "2345678901");
  EXPECT_EQ(file_control.substr(21, 10), "2345678901");
  auto s = ParseNacha(*out);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->entry_hash, 2345678901);
  EXPECT_EQ(s->batches[0].entry_hash, 2345678901);
}

TEST(Nacha, PadsSevenRecordsWithThreeAndTwelveWithEight) {  // NACHA-BLOCKING, nacha-ach.md §2.7
  auto seven = WriteNacha(Section5());
  ASSERT_TRUE(seven.ok());
  auto l7 = Lines(*seven);
  ASSERT_EQ(l7.size(), 10u);
  EXPECT_EQ(Count(*seven, std::string(94, '9')), 3u);
  EXPECT_EQ(l7[6].substr(7, 6), "000001");  // block count

  NachaFile f = Section5();
  for (int i = 0; i < 5; ++i)  // 3 + 5 = 8 entries: 1 + 1 + 8 + 1 + 1 = 12 records
    f.batches[0].entries.push_back(Entry(TransactionCode::kCheckingCredit, "021000021", "77" + std::to_string(i),
                                         1000 * (i + 1), "X" + std::to_string(i), "Extra " + std::to_string(i)));
  auto twelve = WriteNacha(f);
  ASSERT_TRUE(twelve.ok());
  auto l12 = Lines(*twelve);
  ASSERT_EQ(l12.size(), 20u);
  for (size_t k = 12; k < 20; ++k) EXPECT_EQ(l12[k], std::string(94, '9')) << k;
  EXPECT_EQ(l12[11].substr(0, 1), "9");
  EXPECT_EQ(l12[11].substr(7, 6), "000002");  // block count 2
  for (const auto& line : l12) EXPECT_EQ(line.size(), 94u);
}

TEST(Nacha, ReaderRejectsCorruptedFiles) {  // NACHA-RECHECK
  struct Row { const char* what; std::string text; const char* field; const char* code; };
  auto with = [](size_t line, size_t pos1, char c) {
    std::string t = kSection5;
    t[line * 95 + pos1 - 1] = c;
    return t;
  };
  std::string crlf_mixed = kSection5;
  crlf_mixed.insert(95 * 2 - 1, "\r");
  std::string short_line = kSection5;
  short_line.erase(95 * 3 + 40, 1);
  std::string no_padding = kSection5.substr(0, 95 * 7);
  std::string extra_block = kSection5 + kSection5.substr(95 * 7) + kSection5.substr(95 * 7) + std::string(94, '9') + "\n" +
                            std::string(94, '9') + "\n" + std::string(94, '9') + "\n" + std::string(94, '9') + "\n";
  const Row rows[] = {
      {"one byte of an amount", with(2, 39, '6'), "line 6", "batch_total_mismatch"},
      {"an RDFI digit (check digit then fails)", with(3, 11, '2'), "line 4", "check_digit"},
      {"the batch hash", with(5, 20, '5'), "line 6", "batch_hash_mismatch"},
      {"the file credit total", with(6, 55, '3'), "line 7", "file_total_mismatch"},
      {"the file block count", with(6, 13, '2'), "line 7", "file_count_mismatch"},
      {"a nonzero prenote", with(4, 39, '1'), "line 5", "nonzero_prenote"},
      {"a debit code in a 220 batch", with(3, 3, '7'), "line 4", "debit_in_credit_batch"},
      {"an addenda indicator without addenda", with(2, 79, '1'), "line 4", "addenda"},
      {"a CR on one line only", crlf_mixed, "line 2", "line_length"},
      {"a record one character short", short_line, "line 4", "line_length"},
      {"missing padding", no_padding, "line 7", "padding"},
      {"a whole extra block of padding", extra_block, "line 20", "padding"},
      {"a filler record that is not all 9s", with(8, 50, '0'), "line 9", "padding"},
  };
  for (const Row& row : rows) {
    auto r = ParseNacha(row.text);
    ASSERT_FALSE(r.ok()) << row.what;
    EXPECT_EQ(r.error().fields[0].field, row.field) << row.what;
    EXPECT_EQ(r.error().fields[0].code, row.code) << row.what;
  }
  EXPECT_TRUE(ParseNacha(kSection5).ok());
}

TEST(Nacha, WriterRefusesBadInputNamingTheEntryAndField) {  // NACHA-AMOUNT, NACHA-RTN, NACHA-ACCOUNT
  struct Row { const char* what; void (*edit)(NachaFile&); const char* field; const char* code; };
  const Row rows[] = {
      {"negative amount", [](NachaFile& f) { f.batches[0].entries[1].amount = Money::Cents(-1); },
       "batches[0].entries[1].amount", "negative"},
      {"nonzero prenote", [](NachaFile& f) { f.batches[0].entries[2].amount = Money::Cents(1); },
       "batches[0].entries[2].amount", "nonzero_prenote"},
      {"bad check digit", [](NachaFile& f) { f.batches[0].entries[1].routing_number = "091000018"; },
       "batches[0].entries[1].routing_number", "check_digit"},
      {"unassigned prefix", [](NachaFile& f) { f.batches[0].entries[0].routing_number = "500000005"; },
       "batches[0].entries[0].routing_number", "prefix"},
      {"bad account", [](NachaFile& f) { f.batches[0].entries[0].account_number = "12 34"; },
       "batches[0].entries[0].account_number", "invalid_characters"},
      {"debit in a credits-only batch",
       [](NachaFile& f) { f.batches[0].entries[0].transaction_code = TransactionCode::kCheckingDebit; },
       "batches[0].entries[0].transaction_code", "debit_in_credit_batch"},
      {"credit in a debits-only batch", [](NachaFile& f) { f.batches[0].service_class = ServiceClass::kDebitsOnly; },
       "batches[0].entries[0].transaction_code", "credit_in_debit_batch"},
      {"amount over 10 digits", [](NachaFile& f) { f.batches[0].entries[0].amount = Money::Cents(10'000'000'000); },
       "batches[0].entries[0].amount", "too_large"},
      {"no name", [](NachaFile& f) { f.batches[0].entries[0].individual_name = " ~~ "; },
       "batches[0].entries[0].individual_name", "required"},
      {"id too long", [](NachaFile& f) { f.batches[0].entries[0].individual_id = "1234567890123456"; },
       "batches[0].entries[0].individual_id", "too_long"},
      {"no batches", [](NachaFile& f) { f.batches.clear(); }, "batches", "empty"},
      {"empty batch", [](NachaFile& f) { f.batches[0].entries.clear(); }, "batches[0].entries", "empty"},
      {"unknown zone", [](NachaFile& f) { f.time_zone = "Mars/Olympus"; }, "time_zone", "unknown"},
      {"effective before creation", [](NachaFile& f) { f.batches[0].effective_date = *Date::Parse("2025-01-16"); },
       "batches[0].effective_date", "before_creation"},
      {"bad ODFI", [](NachaFile& f) { f.batches[0].odfi_routing_number = "123456789"; },
       "batches[0].odfi_routing_number", "check_digit"},
      {"bad destination", [](NachaFile& f) { f.bank.immediate_destination = "12345678"; },
       "bank.immediate_destination", "length"},
      {"description too long", [](NachaFile& f) { f.batches[0].entry_description = "INSTANT PAY"; },
       "batches[0].entry_description", "too_long"},
      {"file id modifier", [](NachaFile& f) { f.file_id_modifier = '*'; }, "file_id_modifier", "invalid"},
      {"same-day entry over the limit",
       [](NachaFile& f) {
         f.bank.same_day_entry_limit = Money::Cents(150000);
         f.batches[0].effective_date = *Date::Parse("2025-01-17");
       },
       "batches[0].entries[0].amount", "same_day_limit"},
  };
  for (const Row& row : rows) {
    NachaFile f = Section5();
    row.edit(f);
    auto r = WriteNacha(f);
    ASSERT_FALSE(r.ok()) << row.what;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << row.what;
    EXPECT_EQ(r.error().fields[0].field, row.field) << row.what;
    EXPECT_EQ(r.error().fields[0].code, row.code) << row.what;
  }
}

TEST(Nacha, NamesAreUpperCasedAndSanitized) {
  EXPECT_EQ(SanitizeNachaText("José Muñoz-O'Brien, Jr.", 22), "JOSE MUNOZ-O'BRIEN, JR");
  EXPECT_EQ(SanitizeNachaText("  ana\trivera  ", 22), "ANA RIVERA");
  EXPECT_EQ(SanitizeNachaText("Zoë Łukasz Straße", 22), "ZOE LUKASZ STRASSE");
  EXPECT_EQ(SanitizeNachaText("Chi \xF0\x9F\x98\x80 Nguyen_<x>", 22), "CHI NGUYENX");
  EXPECT_EQ(SanitizeNachaText("ABCDEFGHIJKLMNO QRSTUVWXYZ", 16), "ABCDEFGHIJKLMNO");  // no trailing space
  EXPECT_EQ(SanitizeNachaText("bad \xC3 byte", 22), "BAD BYTE");

  NachaFile f = Section5();
  f.batches[0].entries[0].individual_name = "José Muñoz-O'Brien, Jr.";
  f.batches[0].entries[0].individual_id = "emp0001";
  auto out = WriteNacha(f);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Lines(*out)[2].substr(39, 37), "EMP0001        JOSE MUNOZ-O'BRIEN, JR");
}

TEST(Nacha, TraceNumbersAscendAcrossBatches) {  // NACHA-TRACE
  NachaFile f = Section5();
  NachaBatch second = f.batches[0];
  second.sec_code = SecCode::kCcd;
  second.entry_description = "EXPENSE";
  second.odfi_routing_number = "021000021";
  second.entries.resize(2);
  f.batches.push_back(second);
  auto out = WriteNacha(f);
  ASSERT_TRUE(out.ok());
  auto s = ParseNacha(*out);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->entries.size(), 5u);
  const char* expected[] = {"123456780000001", "123456780000002", "123456780000003", "021000020000004",
                            "021000020000005"};
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(s->entries[i].trace_number, expected[i]) << i;
  ASSERT_EQ(s->batches.size(), 2u);
  EXPECT_EQ(s->batches[1].batch_number, 2);
  EXPECT_EQ(s->batches[1].sec_code, "CCD");
  EXPECT_EQ(s->batch_count, 2);
  EXPECT_EQ(s->total_credit, Money::Cents(274232 + 163245 + 110987));
  EXPECT_EQ(s->entry_hash, 42427164 + 1100001 + 9100001);
}

TEST(Nacha, BalancedFileGetsAnOffsettingDebit) {  // NACHA-BALANCED, nacha-ach.md §2.8
  NachaFile f = Section5();
  f.bank.offset = NachaOffsetAccount{"123456780", "9988776655", false, "Sunrise Staffing MSO", "OFFSET"};
  auto out = WriteNacha(f);
  ASSERT_TRUE(out.ok());
  auto s = ParseNacha(*out);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->entries.size(), 4u);
  EXPECT_EQ(s->entries[3].transaction_code, 27);
  EXPECT_EQ(s->entries[3].amount, Money::Cents(274232));
  EXPECT_EQ(s->entries[3].routing_number, "123456780");
  EXPECT_EQ(s->entries[3].individual_id, "OFFSET");
  EXPECT_EQ(s->batches[0].service_class, 200);
  EXPECT_EQ(s->total_debit, s->total_credit);
  EXPECT_EQ(s->entry_hash, 42427164 + 12345678);
  EXPECT_EQ(Lines(*out)[1].substr(1, 3), "200");

  f.bank.offset->savings = true;  // to a savings account: code 37
  auto savings = ParseNacha(WriteNacha(f).value());
  ASSERT_TRUE(savings.ok());
  EXPECT_EQ(savings->entries[3].transaction_code, 37);
}

TEST(Nacha, CrlfLineEndingsAndAddenda) {  // NACHA-LAYOUT
  NachaFile f = Section5();
  f.bank.line_ending = LineEnding::kCrLf;
  f.batches[0].entries[1].addenda = "Instant pay for timesheet TS-42*1\\";
  auto out = WriteNacha(f);
  ASSERT_TRUE(out.ok());
  auto lines = Lines(*out, "\r\n");
  ASSERT_EQ(lines.size(), 10u);  // 8 records + 2 filler
  EXPECT_EQ(Count(*out, "\n"), Count(*out, "\r\n"));
  for (const auto& l : lines) EXPECT_EQ(l.size(), 94u);
  EXPECT_EQ(lines[3][78], '1');  // addenda indicator
  EXPECT_EQ(lines[4], "705" + std::string("Instant pay for timesheet TS-42*1\\") + std::string(80 - 34, ' ') +
                          "0001" + "0000002");
  EXPECT_EQ(lines[6].substr(4, 6), "000004");  // entry/addenda count counts the addenda
  auto s = ParseNacha(*out);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->line_ending, LineEnding::kCrLf);
  EXPECT_EQ(s->entries[1].addenda, "Instant pay for timesheet TS-42*1\\");
  EXPECT_EQ(s->entry_addenda_count, 4);
}

TEST(Nacha, SameDayBatchTakesTheLocalCreationDateAndTheLimit) {  // NACHA-SAME-DAY
  NachaFile f = Section5();
  // 2025-01-18 03:00 UTC is still the 17th in Chicago.
  f.created_at = *ParseInstant("2025-01-18T03:00:00Z");
  NachaBatch b = f.batches[0];
  b.entries = {Entry(TransactionCode::kCheckingCredit, "011000015", "000123456789", 100'000'000, "EMP0001", "Rivera Ana")};
  auto same = MakeSameDayBatch(f, b);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->effective_date, *Date::Parse("2025-01-17"));
  f.batches = {*same};
  auto out = WriteNacha(f);
  ASSERT_TRUE(out.ok());  // exactly $1,000,000 is allowed
  EXPECT_EQ(Lines(*out)[1].substr(69, 6), "250117");

  b.entries[0].amount = Money::Cents(100'000'001);
  auto over = MakeSameDayBatch(f, b);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().fields[0].field, "entries[0].amount");
  EXPECT_EQ(over.error().fields[0].code, "same_day_limit");
  // The writer enforces it too, for any batch that settles on the creation date.
  f.batches[0].entries[0].amount = Money::Cents(100'000'001);
  auto refused = WriteNacha(f);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields[0].code, "same_day_limit");
  // A bank-specific lower limit.
  f.bank.same_day_entry_limit = Money::Cents(50000);
  b.entries[0].amount = Money::Cents(50001);
  EXPECT_FALSE(MakeSameDayBatch(f, b).ok());
  b.entries[0].amount = Money::Cents(50000);
  EXPECT_TRUE(MakeSameDayBatch(f, b).ok());
}

// ======================================================================================
// CSV
// ======================================================================================

std::string Json(const std::vector<std::vector<std::string>>& rows) {
  std::string out = "[";
  for (size_t i = 0; i < rows.size(); ++i) {
    out += i ? ", [" : "[";
    for (size_t j = 0; j < rows[i].size(); ++j) {
      if (j) out += ", ";
      out += '"';
      for (char c : rows[i][j]) {
        switch (c) {
          case '"': out += "\\\""; break;
          case '\\': out += "\\\\"; break;
          case '\n': out += "\\n"; break;
          case '\r': out += "\\r"; break;
          case '\t': out += "\\t"; break;
          default: out += c;
        }
      }
      out += '"';
    }
    out += "]";
  }
  return out + "]";
}

TEST(Csv, FieldsAreQuotedPerRfc4180AndFormulasGuarded) {  // CSV-QUOTE, CSV-FORMULA-GUARD
  struct Row { const char* in; const char* guarded; const char* plain; };
  const Row rows[] = {
      {"Rivera Ana", "Rivera Ana", "Rivera Ana"},
      {"Rivera, Ana", "\"Rivera, Ana\"", "\"Rivera, Ana\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\"", "\"say \"\"hi\"\"\""},
      {"two\nlines", "\"two\nlines\"", "\"two\nlines\""},
      {"=1+2", "'=1+2", "=1+2"},
      {"+1", "'+1", "+1"},
      {"-2", "'-2", "-2"},
      {"@SUM(A1)", "'@SUM(A1)", "@SUM(A1)"},
      {"\tx", "'\tx", "\tx"},
      {"\rx", "\"'\rx\"", "\"\rx\""},
      {"=HYPERLINK(\"http://x\",\"a\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"a\"\")\"", "\"=HYPERLINK(\"\"http://x\"\",\"\"a\"\")\""},
      {"", "", ""},
      {"a=b", "a=b", "a=b"},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(CsvField(r.in), r.guarded) << r.in;
    EXPECT_EQ(CsvField(r.in, false), r.plain) << r.in;
  }
}

Sheet Register() {
  Sheet s;
  s.name = "Register";
  s.columns = {{"Employee", 24}, {"Shifts", 8, ColumnTotal::kSum}, {"Gross", 12, ColumnTotal::kSum}, {"Pay date", 12}};
  s.rows = {{TextCell("Rivera, Ana"), IntegerCell(9), MoneyCell(Money::Cents(163245)), DateCell(*Date::Parse("2025-01-21"))},
            {TextCell("Muñoz \"Beto\""), IntegerCell(1), MoneyCell(Money::Cents(-1250)), DateCell(*Date::Parse("2025-01-21"))},
            {TextCell("=cmd|' /C calc'!A0"), EmptyCell(), MoneyCell(Money::Cents(5)), EmptyCell()}};
  s.totals = TotalsRow::kFormulas;
  return s;
}

TEST(Csv, RegisterWithTotalsReadsBackWithPythonsCsvModule) {
  auto csv = WriteCsv(Register());
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(*csv,
            "Employee,Shifts,Gross,Pay date\r\n"
            "\"Rivera, Ana\",9,1632.45,2025-01-21\r\n"
            "\"Muñoz \"\"Beto\"\"\",1,-12.50,2025-01-21\r\n"
            "'=cmd|' /C calc'!A0,,0.05,\r\n"
            "Total,10,1620.00,\r\n");
  const std::string path = TempPath("register.csv");
  WriteFile(path, *csv);
  auto py = RunCommand(kPython + " -c \"import csv,sys,json; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='', "
                "encoding='utf-8'))), ensure_ascii=False))\" " + path);
  ASSERT_EQ(py.status, 0) << py.text;
  EXPECT_EQ(py.text, Json({{"Employee", "Shifts", "Gross", "Pay date"},
                           {"Rivera, Ana", "9", "1632.45", "2025-01-21"},
                           {"Muñoz \"Beto\"", "1", "-12.50", "2025-01-21"},
                           {"'=cmd|' /C calc'!A0", "", "0.05", ""},
                           {"Total", "10", "1620.00", ""}}) + "\n");
  std::remove(path.c_str());

  auto bom = WriteCsv(Register(), CsvOptions{true});
  ASSERT_TRUE(bom.ok());
  EXPECT_EQ(bom->substr(0, 3), "\xEF\xBB\xBF");
}

TEST(Csv, SheetInvariantsAreChecked) {
  Sheet s = Register();
  s.rows[1].pop_back();
  auto r = WriteCsv(s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields[0].field, "rows[1]");
  EXPECT_EQ(r.error().fields[0].code, "cell_count");
  s = Register();
  s.rows[0][1] = TextCell("nine");
  EXPECT_EQ(CodeOf(WriteCsv(s).error()), "sum_of_text");
  s = Register();
  s.rows[0][1] = MoneyCell(Money::Cents(9));
  EXPECT_EQ(CodeOf(WriteCsv(s).error()), "mixed_sum");
}

// ======================================================================================
// XLSX, read back with openpyxl
// ======================================================================================

const char* kOpenpyxlDump = R"PY(
import sys, datetime, openpyxl
def dump(wb, formulas):
    for ws in wb.worksheets:
        print("sheet", ws.title, "freeze", ws.freeze_panes, "filter", ws.auto_filter.ref)
        for col in "ABCD":
            if ws.column_dimensions[col].width: print(" width", col, round(ws.column_dimensions[col].width))
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if v is None: continue
                if isinstance(v, datetime.datetime): v = v.date().isoformat()
                elif isinstance(v, (int, float)) and c.number_format == "#,##0.00": v = "%.2f" % v
                elif isinstance(v, float) and v.is_integer(): v = int(v)
                kind = type(c.value).__name__
                if kind in ("int", "float"): kind = "num"
                print(" ", c.coordinate, kind, v, c.number_format, "bold" if c.font.b else "")
dump(openpyxl.load_workbook(sys.argv[1]), True)
print("cached")
dump(openpyxl.load_workbook(sys.argv[1], data_only=True), False)
)PY";

TEST(Xlsx, WorkbookReadsBackWithOpenpyxl) {
  Workbook wb;
  wb.sheets.push_back(Register());
  Sheet values = Register();
  values.name = "Values";
  values.totals = TotalsRow::kValues;
  values.rows.resize(1);
  wb.sheets.push_back(values);
  const std::string path = TempPath("register.xlsx"), script = TempPath("dump.py");
  ASSERT_TRUE(WriteXlsx(path, wb).ok());
  WriteFile(script, kOpenpyxlDump);
  auto py = RunCommand(kPython + " " + script + " " + path);
  ASSERT_EQ(py.status, 0) << py.text;
  const std::string register_formulas =
      "sheet Register freeze A2 filter A1:D4\n"
      " width A 25\n width B 9\n width C 13\n width D 13\n"
      "  A1 str Employee General bold\n  B1 str Shifts General bold\n  C1 str Gross General bold\n  D1 str Pay date General bold\n"
      "  A2 str Rivera, Ana General \n  B2 num 9 General \n  C2 num 1632.45 #,##0.00 \n  D2 datetime 2025-01-21 yyyy-mm-dd \n"
      "  A3 str Muñoz \"Beto\" General \n  B3 num 1 General \n  C3 num -12.50 #,##0.00 \n  D3 datetime 2025-01-21 yyyy-mm-dd \n"
      "  A4 str =cmd|' /C calc'!A0 General \n  C4 num 0.05 #,##0.00 \n";
  const std::string values_sheet =
      "sheet Values freeze A2 filter A1:D2\n"
      " width A 25\n width B 9\n width C 13\n width D 13\n"
      "  A1 str Employee General bold\n  B1 str Shifts General bold\n  C1 str Gross General bold\n  D1 str Pay date General bold\n"
      "  A2 str Rivera, Ana General \n  B2 num 9 General \n  C2 num 1632.45 #,##0.00 \n  D2 datetime 2025-01-21 yyyy-mm-dd \n"
      "  A3 str Total General bold\n  B3 num 9 General bold\n  C3 num 1632.45 #,##0.00 bold\n";
  EXPECT_EQ(py.text,
            register_formulas +
                "  A5 str Total General bold\n  B5 str =SUM(B2:B4) General bold\n  C5 str =SUM(C2:C4) #,##0.00 bold\n" +
                values_sheet + "cached\n" + register_formulas +
                "  A5 str Total General bold\n  B5 num 10 General bold\n  C5 num 1620.00 #,##0.00 bold\n" + values_sheet);
  std::remove(path.c_str());
  std::remove(script.c_str());

  auto bytes = RenderXlsx(wb);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->substr(0, 2), "PK");  // a zip container
}

TEST(Xlsx, RefusesBadSheets) {
  Workbook wb;
  EXPECT_EQ(CodeOf(RenderXlsx(wb).error()), "empty");
  wb.sheets.push_back(Register());
  wb.sheets[0].name = "Pay/Run";
  auto r = RenderXlsx(wb);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields[0].field, "sheets[0].name");
  wb.sheets[0] = Register();
  wb.sheets.push_back(Register());  // duplicate name
  EXPECT_EQ(RenderXlsx(wb).error().fields[0].field, "sheets[1].name");
  wb.sheets.pop_back();
  wb.sheets[0].rows[0].push_back(EmptyCell());
  EXPECT_EQ(RenderXlsx(wb).error().fields[0].field, "sheets[0].rows[0]");
}

// ======================================================================================
// PDF, read back with pdftotext and pdfinfo
// ======================================================================================

TEST(Pdf, MoneyAndHoursAreFormattedFromIntegers) {
  EXPECT_EQ(FormatUsd(Money::Cents(0)), "$0.00");
  EXPECT_EQ(FormatUsd(Money::Cents(5)), "$0.05");
  EXPECT_EQ(FormatUsd(Money::Cents(99999)), "$999.99");
  EXPECT_EQ(FormatUsd(Money::Cents(163245)), "$1,632.45");
  EXPECT_EQ(FormatUsd(Money::Cents(100'000'000)), "$1,000,000.00");
  EXPECT_EQ(FormatUsd(Money::Cents(-1250)), "-$12.50");
  EXPECT_EQ(FormatUsd(Money::Cents(INT64_MIN)), "-$92,233,720,368,547,758.08");
  EXPECT_EQ(FormatHours(450min), "7.50");
  EXPECT_EQ(FormatHours(20min), "0.33");
  EXPECT_EQ(FormatHours(10min), "0.17");
  EXPECT_EQ(FormatHours(780min), "13.00");
  EXPECT_EQ(FormatHours(0min), "0.00");
  EXPECT_EQ(FormatHours(-30min), "-0.50");
}

struct PdfText {
  std::string text;
  int pages = 0;
};

PdfText ReadPdf(const std::string& bytes, const std::string& name) {
  const std::string path = TempPath(name);
  WriteFile(path, bytes);
  PdfText out;
  auto text = RunCommand("pdftotext -layout -enc UTF-8 " + path + " -");
  EXPECT_EQ(text.status, 0) << text.text;
  out.text = text.text;
  auto info = RunCommand("pdfinfo " + path);
  EXPECT_EQ(info.status, 0) << info.text;
  auto p = info.text.find("Pages:");
  if (p != std::string::npos) out.pages = std::stoi(info.text.substr(p + 6));
  std::remove(path.c_str());
  return out;
}

TEST(Pdf, PayStatementShowsTheLinesAndComputedTotals) {
  PayStatementDoc s;
  s.issuer_name = "Sunrise Staffing MSO";
  s.issuer_address = {"100 Main St", "Chicago, IL 60601"};
  s.statement_number = "PS-2025-000117";
  s.employee_name = "Ana Muñoz Rivera";
  s.employee_id = "EMP0001";
  s.worker_type = "1099 contractor";
  s.period_start = *Date::Parse("2025-01-05");
  s.period_end = *Date::Parse("2025-01-18");
  s.pay_date = *Date::Parse("2025-01-21");
  s.lines = {{"REG", "Regular", 2400min, Money::Cents(5500), Money::Cents(220000)},
             {"OT", "Overtime 1.5x (FLSA weekly)", 450min, Money::Cents(8250), Money::Cents(61875)},
             {"NIGHT", "Night differential", 720min, Money::Cents(300), Money::Cents(3600)},
             {"BONUS", "Incentive bonus", std::nullopt, std::nullopt, Money::Cents(15000)}};
  s.adjustments = {{"Instant pay 2025-01-14", Money::Cents(-40000)}};
  s.deposit_note = "Direct deposit to account ending 6789";
  auto pdf = RenderPayStatementPdf(s);
  ASSERT_TRUE(pdf.ok());
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  auto t = ReadPdf(*pdf, "statement.pdf");
  EXPECT_EQ(t.pages, 1);
  for (const char* needle : {"Pay Statement", "PS-2025-000117", "2025-01-05 to 2025-01-18", "Ana Muñoz Rivera", "EMP0001",
                             "Overtime 1.5x (FLSA weekly)", "$82.50", "$618.75", "7.50", "$2,200.00", "$150.00",
                             "Total hours", "59.50", "Gross pay", "$3,004.75", "-$400.00", "Net this statement",
                             "$2,604.75", "account ending 6789", "Page 1 of 1"})
    EXPECT_NE(t.text.find(needle), std::string::npos) << needle << "\n" << t.text;
}

TEST(Pdf, LongInvoiceBreaksPagesAndRepeatsTheTableHeader) {
  InvoiceDoc inv;
  inv.issuer_name = "Sunrise Staffing MSO";
  inv.issuer_address = {"100 Main St", "Chicago, IL 60601"};
  inv.invoice_number = "INV-2025-00042";
  inv.issue_date = *Date::Parse("2025-02-01");
  inv.due_date = *Date::Parse("2025-03-03");
  inv.period_start = *Date::Parse("2025-01-01");
  inv.period_end = *Date::Parse("2025-01-31");
  inv.facility_name = "Riverside Care Center";
  inv.bill_to = {"Riverside Care Center", "Accounts Payable", "200 River Rd", "Springfield, IL 62701"};
  Money labor;
  for (int i = 1; i <= 200; ++i) {
    char ref[16];
    std::snprintf(ref, sizeof ref, "TS-%06d", i);
    Money amount = Money::Cents(7800 * 12 + i);  // 12 h at $78.00, plus i cents so every line differs
    inv.lines.push_back({ref, Date::FromDaysSinceEpoch(Date{2025, 1, 1}.DaysSinceEpoch() + i % 31),
                         "Clinician " + std::to_string(i), i % 2 ? "RN" : "CNA", 720min, Money::Cents(7800), amount});
    labor += amount;
  }
  inv.fees = {{"Management fee 8% of labor", labor.MulRatio(8, 100)}, {"Per-filled-shift fee 200 x $5.00", Money::Cents(100000)}};
  inv.payments = {{*Date::Parse("2025-02-10"), "ACH 778812", Money::Cents(500000)}};
  inv.terms_note = "Net 30. Pay by ACH to Example ODFI Bank, routing 123456780; quote the invoice number.";
  auto pdf = RenderInvoicePdf(inv);
  ASSERT_TRUE(pdf.ok());
  auto t = ReadPdf(*pdf, "invoice.pdf");
  ASSERT_GT(t.pages, 1);
  const std::string n = std::to_string(t.pages);
  const Money total = labor + inv.fees[0].amount + inv.fees[1].amount;
  for (const std::string& needle :
       {std::string("INV-2025-00042"), std::string("TS-000001"), std::string("TS-000200"), std::string("Riverside Care Center"),
        std::string("Labor subtotal"), FormatUsd(labor), FormatUsd(total), std::string("Balance due"),
        FormatUsd(total - Money::Cents(500000)), std::string("-$5,000.00"), std::string("Page 1 of ") + n,
        std::string("Page ") + n + " of " + n, std::string("quote the invoice number")})
    EXPECT_NE(t.text.find(needle), std::string::npos) << needle;
  EXPECT_EQ(Count(t.text, "Timesheet"), static_cast<size_t>(t.pages));  // header row on every page of the table
  EXPECT_EQ(Count(t.text, "TS-0"), 200u);                               // no row lost or repeated
}

TEST(Pdf, RefusesRowsOfTheWrongWidth) {
  PdfDocument d;
  EXPECT_EQ(CodeOf(RenderPdf(d).error()), "empty");
  d.columns = {{"A"}, {"B"}};
  d.rows = {{"1", "2"}, {"3"}};
  auto r = RenderPdf(d);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields[0].field, "rows[1]");
}

// ======================================================================================
// iCalendar
// ======================================================================================

TEST(ICal, TextEscaping) {  // ICAL-TEXT
  EXPECT_EQ(EscapeICalText("a\\b;c,d\ne\r\nf\rg"), "a\\\\b\\;c\\,d\\ne\\nf\\ng");
  EXPECT_EQ(EscapeICalText("café\ttab\x01"), "café\ttab");
  EXPECT_EQ(EscapeICalText("bad \xC3("), "bad \xEF\xBF\xBD(");
}

std::string Unfold(const std::string& folded) {
  std::string out;
  for (size_t i = 0; i < folded.size(); ++i) {
    if (folded.compare(i, 3, "\r\n ") == 0) { i += 2; continue; }
    out += folded[i];
  }
  return out;
}

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size())
    if (internal::NextCodePoint(s, i) == internal::kReplacement) return false;
  return true;
}

TEST(ICal, FoldingKeepsLinesTo75OctetsAndUtf8Whole) {  // ICAL-FOLD
  const std::string pieces[] = {"a", "é", "€", "\xF0\x9F\x98\x80", ";"};
  for (int len = 0; len < 400; len += 7) {
    for (int shift = 0; shift < 5; ++shift) {
      std::string line = "DESCRIPTION:";
      for (int k = 0; k < len; ++k) line += pieces[(k * (shift + 1) + shift) % 5];
      std::string folded = FoldICalLine(line);
      ASSERT_GE(folded.size(), 2u);
      EXPECT_EQ(folded.substr(folded.size() - 2), "\r\n");
      EXPECT_EQ(Unfold(folded), line + "\r\n") << len;
      auto physical = Lines(folded, "\r\n");
      for (size_t k = 0; k < physical.size(); ++k) {
        EXPECT_LE(physical[k].size(), 75u) << len;
        if (k > 0) {
          EXPECT_EQ(physical[k][0], ' ');
        }
        EXPECT_TRUE(ValidUtf8(physical[k])) << "line " << k << " of a " << len << "-piece value splits a character";
      }
      if (line.size() > 75) {
        EXPECT_GE(physical[0].size(), 72u);  // folds late, not early
      }
    }
  }
  EXPECT_EQ(FoldICalLine(std::string(75, 'x')), std::string(75, 'x') + "\r\n");
  EXPECT_EQ(FoldICalLine(std::string(76, 'x')), std::string(75, 'x') + "\r\n x\r\n");
}

Calendar SampleFeed() {  // fhir-and-calendar.md B.3
  Calendar c;
  c.product_id = "-//Example MSO//Shift Feed 1.0//EN";
  c.name = "Ana Rivera RN - shifts";
  c.refresh_interval = 60min;
  c.generated_at = *ParseInstant("2025-10-20T15:00:00Z");
  CalendarEvent night;
  night.uid = "shift-20251101-0042@mso.example.org";
  night.start = At("2025-11-01T19:00", "America/Chicago");
  night.end = At("2025-11-02T07:00", "America/Chicago");
  night.time_zone = "America/Chicago";
  night.summary = "Night shift - Med/Surg, Riverside Care Center";
  night.location = "Riverside Care Center, 4th floor (Med/Surg)";
  night.description =
      "RN night shift; report to charge nurse. Clocks fall back at 02:00 so this shift is 13 hours of elapsed time; "
      "café voucher at front desk.";
  CalendarEvent day;
  day.uid = "shift-20251105-0043@mso.example.org";
  day.start = *ParseInstant("2025-11-05T13:00:00Z");
  day.end = *ParseInstant("2025-11-06T01:00:00Z");
  day.summary = "Day shift - ICU (cancelled by facility)";
  day.status = EventStatus::kCancelled;
  day.sequence = 2;
  c.events = {night, day};
  return c;
}

TEST(ICal, SampleFeedOfTheDomainNotes) {  // ICAL-FEED, ICAL-VTIMEZONE
  auto ics = WriteICalendar(SampleFeed());
  ASSERT_TRUE(ics.ok());
  const std::string& s = *ics;
  EXPECT_EQ(Count(s, "\n"), Count(s, "\r\n"));  // no bare LF
  for (const auto& line : Lines(s, "\r\n")) EXPECT_LE(line.size(), 75u) << line;
  const std::string u = Unfold(s);
  for (const char* needle :
       {"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example MSO//Shift Feed 1.0//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n",
        "X-WR-CALNAME:Ana Rivera RN - shifts\r\n", "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n",
        "BEGIN:VTIMEZONE\r\nTZID:America/Chicago\r\n"
        "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0600\r\nTZOFFSETTO:-0500\r\nTZNAME:CDT\r\nDTSTART:20250309T020000\r\nEND:DAYLIGHT\r\n"
        "BEGIN:STANDARD\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0600\r\nTZNAME:CST\r\nDTSTART:20251102T020000\r\nEND:STANDARD\r\n"
        "END:VTIMEZONE\r\n",
        "UID:shift-20251101-0042@mso.example.org\r\nDTSTAMP:20251020T150000Z\r\nSEQUENCE:0\r\n"
        "DTSTART;TZID=America/Chicago:20251101T190000\r\nDTEND;TZID=America/Chicago:20251102T070000\r\n",
        "SUMMARY:Night shift - Med/Surg\\, Riverside Care Center\r\n",
        "LOCATION:Riverside Care Center\\, 4th floor (Med/Surg)\r\n",
        "DESCRIPTION:RN night shift\\; report to charge nurse. Clocks fall back at 02:00 so this shift is 13 "
        "hours of elapsed time\\; café voucher at front desk.\r\n",
        "STATUS:CONFIRMED\r\nTRANSP:OPAQUE\r\nEND:VEVENT\r\n",
        "SEQUENCE:2\r\nDTSTART:20251105T130000Z\r\nDTEND:20251106T010000Z\r\n", "STATUS:CANCELLED\r\n",
        "END:VEVENT\r\nEND:VCALENDAR\r\n"})
    EXPECT_NE(u.find(needle), std::string::npos) << needle;
  EXPECT_EQ(Count(s, "BEGIN:VTIMEZONE"), 1u);  // the UTC event needs none
  EXPECT_NE(s.find("\r\n "), std::string::npos);  // the description was folded
}

TEST(ICal, VTimezoneListsEveryTransitionOfTheSpan) {  // ICAL-VTIMEZONE
  // Sydney over a year: the observance in force at the start (AEDT since 2024-10-06), then
  // 2025-04-06 (to AEST) and 2025-10-05 (to AEDT). Southern hemisphere: DAYLIGHT in January.
  auto vtz = VTimezone("Australia/Sydney", *ParseInstant("2025-01-01T00:00:00Z"), *ParseInstant("2025-12-31T00:00:00Z"));
  ASSERT_TRUE(vtz.ok());
  EXPECT_EQ(*vtz,
            "BEGIN:VTIMEZONE\r\nTZID:Australia/Sydney\r\n"
            "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+1000\r\nTZOFFSETTO:+1100\r\nTZNAME:AEDT\r\nDTSTART:20241006T020000\r\nEND:DAYLIGHT\r\n"
            "BEGIN:STANDARD\r\nTZOFFSETFROM:+1100\r\nTZOFFSETTO:+1000\r\nTZNAME:AEST\r\nDTSTART:20250406T030000\r\nEND:STANDARD\r\n"
            "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+1000\r\nTZOFFSETTO:+1100\r\nTZNAME:AEDT\r\nDTSTART:20251005T020000\r\nEND:DAYLIGHT\r\n"
            "END:VTIMEZONE\r\n");
  // A zone without DST: one observance.
  auto kolkata = VTimezone("Asia/Kolkata", *ParseInstant("2025-01-01T00:00:00Z"), *ParseInstant("2025-12-31T00:00:00Z"));
  ASSERT_TRUE(kolkata.ok());
  EXPECT_EQ(Count(*kolkata, "BEGIN:STANDARD"), 1u);
  EXPECT_NE(kolkata->find("TZOFFSETTO:+0530"), std::string::npos);
  EXPECT_EQ(CodeOf(VTimezone("Nowhere/Land", {}, {}).error()), "unknown");
}

TEST(ICal, TheSecondOneThirtyOfAFallBackNightIsWrittenInUtc) {
  Calendar c = SampleFeed();
  c.events.resize(1);
  // 2025-11-02 01:30 CST (07:30Z) is the second 01:30 in Chicago; as a local time it would
  // mean the first one (06:30Z).
  c.events[0].start = *ParseInstant("2025-11-02T07:30:00Z");
  c.events[0].end = *ParseInstant("2025-11-02T15:30:00Z");
  auto ics = WriteICalendar(c);
  ASSERT_TRUE(ics.ok());
  EXPECT_NE(ics->find("DTSTART:20251102T073000Z\r\nDTEND:20251102T153000Z\r\n"), std::string::npos);
}

TEST(ICal, RefusesBadEvents) {
  struct Row { void (*edit)(CalendarEvent&); const char* field; const char* code; };
  const Row rows[] = {
      {[](CalendarEvent& e) { e.uid.clear(); }, "events[0].uid", "required"},
      {[](CalendarEvent& e) { e.uid = "a\r\nb"; }, "events[0].uid", "invalid"},
      {[](CalendarEvent& e) { e.end = e.start; }, "events[0].end", "not_after_start"},
      {[](CalendarEvent& e) { e.time_zone = "America/Gotham"; }, "events[0].time_zone", "unknown"},
      {[](CalendarEvent& e) { e.sequence = -1; }, "events[0].sequence", "negative"},
      {[](CalendarEvent& e) { e.url = "https://x y"; }, "events[0].url", "invalid"},
  };
  for (const Row& row : rows) {
    Calendar c = SampleFeed();
    row.edit(c.events[0]);
    auto r = WriteICalendar(c);
    ASSERT_FALSE(r.ok()) << row.field;
    EXPECT_EQ(r.error().fields[0].field, row.field);
    EXPECT_EQ(r.error().fields[0].code, row.code);
  }
}

}  // namespace
}  // namespace openmso::formats
