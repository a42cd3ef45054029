// NACHA ACH files for direct deposit: routing/account validation, the writer, and the
// reader that checks every control record. Follows ../shared/domain/nacha-ach.md §2-§6.
#include <algorithm>
#include <array>
#include <cstdio>

#include "formats/formats.h"
#include "formats/internal.h"

namespace openmso::formats {
namespace {

constexpr size_t kRecordLength = 94;
constexpr int64_t kMaxEntryCents = 9'999'999'999;      // 10-digit amount field
constexpr int64_t kMaxTotalCents = 999'999'999'999;    // 12-digit total fields
constexpr int64_t kHashModulus = 10'000'000'000;       // keep the rightmost 10 digits
constexpr int64_t kMaxTraceSequence = 9'999'999;       // 7 digits
constexpr int64_t kMaxBatchEntries = 999'999;          // 6-digit count
const std::string kPaddingRecord(kRecordLength, '9');

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool AllDigits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit); }

// The characters we write in alphanumeric fields (nacha-ach.md §2: upper-case ASCII).
bool IsNachaChar(char c) {
  return (c >= 'A' && c <= 'Z') || IsDigit(c) || c == ' ' || c == '.' || c == ',' || c == '-' ||
         c == '\'' || c == '&' || c == '/' || c == '#' || c == '(' || c == ')';
}

char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// Latin letters with diacritics to their base letters (U+00C0..U+017F).
std::string_view Transliterate(char32_t cp) {
  static constexpr std::array<std::string_view, 64> kLatin1 = {
      "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",   // C0
      "D", "N", "O", "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "TH", "SS",  // D0
      "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",   // E0
      "D", "N", "O", "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "TH", "Y"};  // F0
  if (cp >= 0xC0 && cp <= 0xFF) return kLatin1[cp - 0xC0];
  struct Range { char32_t from, to; std::string_view base; };
  static constexpr Range kExtendedA[] = {
      {0x100, 0x105, "A"}, {0x106, 0x10D, "C"}, {0x10E, 0x111, "D"}, {0x112, 0x11B, "E"},
      {0x11C, 0x123, "G"}, {0x124, 0x127, "H"}, {0x128, 0x131, "I"}, {0x132, 0x133, "IJ"},
      {0x134, 0x135, "J"}, {0x136, 0x138, "K"}, {0x139, 0x142, "L"}, {0x143, 0x14B, "N"},
      {0x14C, 0x151, "O"}, {0x152, 0x153, "OE"}, {0x154, 0x159, "R"}, {0x15A, 0x161, "S"},
      {0x162, 0x167, "T"}, {0x168, 0x173, "U"}, {0x174, 0x175, "W"}, {0x176, 0x178, "Y"},
      {0x179, 0x17E, "Z"}, {0x17F, 0x17F, "S"}};
  for (const auto& r : kExtendedA)
    if (cp >= r.from && cp <= r.to) return r.base;
  if (cp == 0x2018 || cp == 0x2019) return "'";
  if (cp == 0x2010 || cp == 0x2011 || cp == 0x2013 || cp == 0x2014) return "-";
  return "";
}

std::string Alpha(std::string_view s, size_t width) {
  std::string r(s.substr(0, width));
  r.resize(width, ' ');
  return r;
}

// Zero-filled, right-justified; keeps the rightmost `width` digits.
std::string Num(uint64_t v, size_t width) {
  std::string s = std::to_string(v);
  if (s.size() > width) s = s.substr(s.size() - width);
  return std::string(width - s.size(), '0') + s;
}

std::string Yymmdd(const Date& d) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d%02u%02u", ((d.year % 100) + 100) % 100, d.month, d.day);
  return buf;
}

std::string RightTrim(std::string_view s) {
  size_t n = s.size();
  while (n > 0 && s[n - 1] == ' ') --n;
  return std::string(s.substr(0, n));
}

// A short alphanumeric field: upper-cased, then it must fit and use only NACHA characters.
Result<std::string> Field(std::string_view value, size_t min, size_t width, const std::string& name) {
  std::string v;
  for (char c : value) v += Upper(c);
  if (v.size() < min) return Error::Invalid(name, "required", "This field is required.");
  if (v.size() > width)
    return Error::Invalid(name, "too_long", "At most " + std::to_string(width) + " characters.");
  if (!std::all_of(v.begin(), v.end(), IsNachaChar))
    return Error::Invalid(name, "invalid_characters", "Only A-Z, 0-9, space and . , - ' & / # ( ) are allowed.");
  return v;
}

Result<std::string> Name(std::string_view value, size_t width, const std::string& name) {
  std::string v = SanitizeNachaText(value, width);
  if (v.empty()) return Error::Invalid(name, "required", "A name is required.");
  return v;
}

Error Rename(const Error& e, const std::string& field) {
  Error r = e;
  for (auto& f : r.fields) f.field = field;
  return r;
}

struct PreparedEntry {
  int code = 0;
  std::string routing;  // 9 digits
  std::string account;
  int64_t cents = 0;
  std::string id, name, discretionary;
  std::optional<std::string> addenda;
};

struct PreparedBatch {
  int service_class = 0;
  std::string company_name, discretionary, company_id, sec, description, descriptive_date, effective;
  std::string odfi8;
  std::vector<PreparedEntry> entries;
};

Result<PreparedEntry> PrepareEntry(const NachaEntry& e, const std::string& at, const NachaBatch& b,
                                   bool same_day, Money same_day_limit) {
  PreparedEntry p;
  p.code = static_cast<int>(e.transaction_code);
  if (!ParseTransactionCode(p.code))
    return Error::Invalid(at + "transaction_code", "unknown", "Unknown transaction code.");
  if (auto r = ValidateRoutingNumber(e.routing_number); !r) return Rename(r.error(), at + "routing_number");
  p.routing = e.routing_number;
  if (auto r = ValidateAccountNumber(e.account_number); !r) return Rename(r.error(), at + "account_number");
  p.account = e.account_number;
  // NACHA-AMOUNT: integer cents, never negative; prenotes and zero-dollar entries carry 0.
  if (e.amount.negative()) return Error::Invalid(at + "amount", "negative", "Amounts cannot be negative.");
  if (IsPrenote(e.transaction_code) && e.amount.cents() != 0)
    return Error::Invalid(at + "amount", "nonzero_prenote", "A prenote must have a zero amount.");
  if (IsZeroDollar(e.transaction_code) && e.amount.cents() != 0)
    return Error::Invalid(at + "amount", "must_be_zero", "This transaction code carries a zero amount.");
  if (e.amount.cents() > kMaxEntryCents)
    return Error::Invalid(at + "amount", "too_large", "The amount does not fit the 10-digit field.");
  if (same_day && e.amount > same_day_limit)  // NACHA-SAME-DAY
    return Error::Invalid(at + "amount", "same_day_limit", "Above the Same Day ACH per-entry limit.");
  p.cents = e.amount.cents();
  bool credit = IsCredit(e.transaction_code);
  if (b.service_class == ServiceClass::kCreditsOnly && !credit)
    return Error::Invalid(at + "transaction_code", "debit_in_credit_batch", "A credits-only batch (220) cannot hold a debit.");
  if (b.service_class == ServiceClass::kDebitsOnly && credit)
    return Error::Invalid(at + "transaction_code", "credit_in_debit_batch", "A debits-only batch (225) cannot hold a credit.");
  OPENMSO_ASSIGN_OR_RETURN(p.id, Field(e.individual_id, 0, 15, at + "individual_id"));
  OPENMSO_ASSIGN_OR_RETURN(p.name, Name(e.individual_name, 22, at + "individual_name"));
  OPENMSO_ASSIGN_OR_RETURN(p.discretionary, Field(e.discretionary_data, 0, 2, at + "discretionary_data"));
  if (e.addenda) {
    if (e.addenda->size() > 80)
      return Error::Invalid(at + "addenda", "too_long", "At most 80 characters.");
    for (char c : *e.addenda)
      if (c < 0x20 || c > 0x7E)
        return Error::Invalid(at + "addenda", "invalid_characters", "Printable ASCII only.");
    p.addenda = RightTrim(*e.addenda);
  }
  return p;
}

struct Prepared {
  std::string destination, origin, destination_name, origin_name, reference;
  char modifier = 'A';
  LocalDateTime created;
  std::vector<PreparedBatch> batches;
};

Result<Prepared> Prepare(const NachaFile& f) {
  Prepared p;
  if (!IsValidTimeZone(f.time_zone))
    return Error::Invalid("time_zone", "unknown", "Unknown IANA time zone.");
  p.created = ToLocal(f.created_at, f.time_zone);
  const NachaBankProfile& bank = f.bank;
  if (auto r = ValidateRoutingNumber(bank.immediate_destination); !r)
    return Rename(r.error(), "bank.immediate_destination");
  p.destination = " " + bank.immediate_destination;
  if (bank.immediate_origin.size() == 9 && AllDigits(bank.immediate_origin)) {
    p.origin = " " + bank.immediate_origin;
  } else {
    OPENMSO_ASSIGN_OR_RETURN(p.origin, Field(bank.immediate_origin, 10, 10, "bank.immediate_origin"));
  }
  OPENMSO_ASSIGN_OR_RETURN(p.destination_name, Name(bank.destination_name, 23, "bank.destination_name"));
  OPENMSO_ASSIGN_OR_RETURN(p.origin_name, Name(bank.origin_name, 23, "bank.origin_name"));
  OPENMSO_ASSIGN_OR_RETURN(p.reference, Field(f.reference_code, 0, 8, "reference_code"));
  char m = Upper(f.file_id_modifier);
  if (!((m >= 'A' && m <= 'Z') || IsDigit(m)))
    return Error::Invalid("file_id_modifier", "invalid", "A-Z or 0-9.");
  p.modifier = m;
  if (f.batches.empty()) return Error::Invalid("batches", "empty", "A file needs at least one batch.");

  std::optional<PreparedEntry> offset_template;
  if (bank.offset) {
    const auto& o = *bank.offset;
    PreparedEntry t;
    if (auto r = ValidateRoutingNumber(o.routing_number); !r) return Rename(r.error(), "bank.offset.routing_number");
    if (auto r = ValidateAccountNumber(o.account_number); !r) return Rename(r.error(), "bank.offset.account_number");
    t.routing = o.routing_number;
    t.account = o.account_number;
    OPENMSO_ASSIGN_OR_RETURN(t.name, Name(o.name, 22, "bank.offset.name"));
    OPENMSO_ASSIGN_OR_RETURN(t.id, Field(o.individual_id, 0, 15, "bank.offset.individual_id"));
    offset_template = t;
  }

  int64_t trace = 0, file_credit = 0, file_debit = 0;
  for (size_t i = 0; i < f.batches.size(); ++i) {
    const NachaBatch& b = f.batches[i];
    const std::string at = "batches[" + std::to_string(i) + "].";
    PreparedBatch pb;
    pb.service_class = static_cast<int>(b.service_class);
    if (pb.service_class != 200 && pb.service_class != 220 && pb.service_class != 225)
      return Error::Invalid(at + "service_class", "unknown", "200, 220 or 225.");
    OPENMSO_ASSIGN_OR_RETURN(pb.company_name, Name(b.company_name, 16, at + "company_name"));
    OPENMSO_ASSIGN_OR_RETURN(pb.discretionary, Field(b.company_discretionary_data, 0, 20, at + "company_discretionary_data"));
    OPENMSO_ASSIGN_OR_RETURN(pb.company_id, Field(b.company_id, 1, 10, at + "company_id"));
    if (b.sec_code != SecCode::kPpd && b.sec_code != SecCode::kCcd)
      return Error::Invalid(at + "sec_code", "unknown", "PPD or CCD.");
    pb.sec = std::string(SecCodeName(b.sec_code));
    OPENMSO_ASSIGN_OR_RETURN(pb.description, Field(b.entry_description, 1, 10, at + "entry_description"));
    OPENMSO_ASSIGN_OR_RETURN(pb.descriptive_date, Field(b.descriptive_date, 0, 6, at + "descriptive_date"));
    if (b.effective_date < p.created.date)
      return Error::Invalid(at + "effective_date", "before_creation", "The effective date is before the file's creation date.");
    if (b.effective_date.year < 2000 || b.effective_date.year > 2099)
      return Error::Invalid(at + "effective_date", "out_of_range", "YYMMDD covers 2000-2099.");
    pb.effective = Yymmdd(b.effective_date);
    if (auto r = ValidateRoutingNumber(b.odfi_routing_number); !r) return Rename(r.error(), at + "odfi_routing_number");
    pb.odfi8 = b.odfi_routing_number.substr(0, 8);
    if (b.entries.empty()) return Error::Invalid(at + "entries", "empty", "A batch needs at least one entry.");
    bool same_day = b.effective_date == p.created.date;
    int64_t credit = 0, debit = 0;
    for (size_t j = 0; j < b.entries.size(); ++j) {
      const std::string eat = at + "entries[" + std::to_string(j) + "].";
      OPENMSO_ASSIGN_OR_RETURN(PreparedEntry e, PrepareEntry(b.entries[j], eat, b, same_day, bank.same_day_entry_limit));
      (IsCredit(static_cast<TransactionCode>(e.code)) ? credit : debit) += e.cents;
      pb.entries.push_back(std::move(e));
    }
    // NACHA-BALANCED: one offsetting entry to the originator's account, service class 200.
    if (offset_template) {
      pb.service_class = 200;
      int64_t net = credit - debit;
      if (net != 0) {
        PreparedEntry o = *offset_template;
        bool savings = bank.offset->savings;
        o.code = net > 0 ? (savings ? 37 : 27) : (savings ? 32 : 22);
        o.cents = net > 0 ? net : -net;
        if (o.cents > kMaxEntryCents)
          return Error::Invalid(at + "entries", "offset_too_large", "The offsetting entry does not fit the 10-digit field.");
        (net > 0 ? debit : credit) += o.cents;
        pb.entries.push_back(std::move(o));
      }
    }
    if (static_cast<int64_t>(pb.entries.size()) * 2 > kMaxBatchEntries)
      return Error::Invalid(at + "entries", "too_many", "Too many entries for one batch.");
    if (credit > kMaxTotalCents || debit > kMaxTotalCents)
      return Error::Invalid(at + "entries", "total_too_large", "The batch total does not fit its 12-digit field.");
    file_credit += credit;
    file_debit += debit;
    trace += static_cast<int64_t>(pb.entries.size());
    p.batches.push_back(std::move(pb));
  }
  if (trace > kMaxTraceSequence) return Error::Invalid("batches", "too_many_entries", "Too many entries for one file.");
  if (file_credit > kMaxTotalCents || file_debit > kMaxTotalCents)
    return Error::Invalid("batches", "total_too_large", "The file total does not fit its 12-digit field.");
  if (p.batches.size() > 999'999) return Error::Invalid("batches", "too_many", "Too many batches.");
  return p;
}

std::string_view Ending(LineEnding e) { return e == LineEnding::kCrLf ? "\r\n" : "\n"; }

// The summary the file must read back as, computed from the prepared model alone.
NachaSummary Expected(const Prepared& p, LineEnding ending) {
  NachaSummary s;
  s.line_ending = ending;
  int64_t trace = 0, records = 2;
  for (size_t i = 0; i < p.batches.size(); ++i) {
    const PreparedBatch& b = p.batches[i];
    NachaBatchRecord br{b.service_class, b.company_id, b.sec, b.description, b.effective, b.odfi8,
                        static_cast<int64_t>(i + 1), 0, 0, Money(), Money()};
    int64_t hash = 0;
    for (const auto& e : b.entries) {
      NachaEntryRecord er;
      er.batch_index = i;
      er.transaction_code = e.code;
      er.routing_number = e.routing;
      er.account_number = e.account;
      er.amount = Money::Cents(e.cents);
      er.individual_id = RightTrim(e.id);
      er.individual_name = RightTrim(e.name);
      er.trace_number = b.odfi8 + Num(static_cast<uint64_t>(++trace), 7);
      er.addenda = e.addenda;
      hash += std::stoll(e.routing.substr(0, 8));
      br.entry_addenda_count += e.addenda ? 2 : 1;
      (IsCredit(static_cast<TransactionCode>(e.code)) ? br.total_credit : br.total_debit) += er.amount;
      s.entries.push_back(std::move(er));
    }
    br.entry_hash = hash % kHashModulus;
    records += 2 + br.entry_addenda_count;
    s.entry_addenda_count += br.entry_addenda_count;
    s.entry_hash = (s.entry_hash + br.entry_hash) % kHashModulus;
    s.total_credit += br.total_credit;
    s.total_debit += br.total_debit;
    s.batches.push_back(std::move(br));
  }
  s.batch_count = static_cast<int64_t>(p.batches.size());
  s.block_count = (records + 9) / 10;
  s.record_count = s.block_count * 10;
  return s;
}

}  // namespace

// ---- routing and account numbers (NACHA-RTN, NACHA-ACCOUNT) ----------------------------

char RoutingCheckDigit(std::string_view d) {
  static constexpr int kWeights[8] = {3, 7, 1, 3, 7, 1, 3, 7};
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += kWeights[i] * (d[i] - '0');
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

Result<void> ValidateRoutingNumber(std::string_view r) {
  const std::string f = "routing_number";
  if (r.size() != 9) return Error::Invalid(f, "length", "A routing number has 9 digits.");
  if (!AllDigits(r)) return Error::Invalid(f, "not_digits", "A routing number has only digits.");
  int prefix = (r[0] - '0') * 10 + (r[1] - '0');
  bool assigned = prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix == 80;
  if (!assigned) return Error::Invalid(f, "prefix", "The first two digits are not an assigned routing range.");
  if (RoutingCheckDigit(r.substr(0, 8)) != r[8])
    return Error::Invalid(f, "check_digit", "The check digit does not match (3-7-1 rule).");
  return Ok();
}

Result<void> ValidateAccountNumber(std::string_view a) {
  const std::string f = "account_number";
  if (a.empty() || a.size() > 17) return Error::Invalid(f, "length", "An account number has 1 to 17 characters.");
  for (char c : a)
    if (!(IsDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-'))
      return Error::Invalid(f, "invalid_characters", "Digits, letters and hyphens only.");
  return Ok();
}

std::string SanitizeNachaText(std::string_view text, size_t width) {
  std::string out;
  size_t i = 0;
  auto put = [&](char c) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) return;
    out += c;
  };
  while (i < text.size()) {
    char32_t cp = internal::NextCodePoint(text, i);
    if (cp < 0x80) {
      char c = Upper(static_cast<char>(cp));
      if (c == '\t' || c == '\n' || c == '\r') c = ' ';
      if (IsNachaChar(c)) put(c);
    } else if (cp == 0xA0) {
      put(' ');
    } else {
      for (char c : Transliterate(cp)) put(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > width) out.resize(width);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string_view SecCodeName(SecCode c) { return c == SecCode::kCcd ? "CCD" : "PPD"; }

bool IsCredit(TransactionCode c) { return static_cast<int>(c) % 10 <= 4; }
bool IsPrenote(TransactionCode c) { int d = static_cast<int>(c) % 10; return d == 3 || d == 8; }
bool IsZeroDollar(TransactionCode c) { return IsPrenote(c) || static_cast<int>(c) % 10 == 4; }

std::optional<TransactionCode> ParseTransactionCode(int code) {
  switch (code) {
    case 22: case 23: case 24: case 27: case 28:
    case 32: case 33: case 34: case 37: case 38:
      return static_cast<TransactionCode>(code);
    default:
      return std::nullopt;
  }
}

// ---- the writer (NACHA-LAYOUT, NACHA-TRACE, NACHA-ENTRY-HASH, NACHA-BLOCKING) -------------

Result<std::string> WriteNacha(const NachaFile& file) {
  OPENMSO_ASSIGN_OR_RETURN(Prepared p, Prepare(file));
  std::vector<std::string> records;
  char created[16];
  std::snprintf(created, sizeof created, "%02d%02d", p.created.minutes_of_day / 60, p.created.minutes_of_day % 60);
  records.push_back("101" + p.destination + p.origin + Yymmdd(p.created.date) + created + p.modifier +
                    "094101" + Alpha(p.destination_name, 23) + Alpha(p.origin_name, 23) + Alpha(p.reference, 8));
  uint64_t trace = 0;
  int64_t file_count = 0, file_hash = 0, file_debit = 0, file_credit = 0;
  for (size_t i = 0; i < p.batches.size(); ++i) {
    const PreparedBatch& b = p.batches[i];
    const std::string number = Num(i + 1, 7);
    const std::string sc = std::to_string(b.service_class);
    records.push_back("5" + sc + Alpha(b.company_name, 16) + Alpha(b.discretionary, 20) + Alpha(b.company_id, 10) +
                      b.sec + Alpha(b.description, 10) + Alpha(b.descriptive_date, 6) + b.effective + "   " + "1" +
                      b.odfi8 + number);
    int64_t count = 0, hash = 0, debit = 0, credit = 0;
    for (const PreparedEntry& e : b.entries) {
      const std::string trace_number = b.odfi8 + Num(++trace, 7);
      records.push_back("6" + std::to_string(e.code) + e.routing + Alpha(e.account, 17) +
                        Num(static_cast<uint64_t>(e.cents), 10) + Alpha(e.id, 15) + Alpha(e.name, 22) +
                        Alpha(e.discretionary, 2) + (e.addenda ? "1" : "0") + trace_number);
      ++count;
      hash += std::stoll(e.routing.substr(0, 8));
      (IsCredit(static_cast<TransactionCode>(e.code)) ? credit : debit) += e.cents;
      if (e.addenda) {
        records.push_back("705" + Alpha(*e.addenda, 80) + "0001" + trace_number.substr(8));
        ++count;
      }
    }
    hash %= kHashModulus;  // NACHA-ENTRY-HASH: rightmost 10 digits
    records.push_back("8" + sc + Num(count, 6) + Num(hash, 10) + Num(debit, 12) + Num(credit, 12) +
                      Alpha(b.company_id, 10) + std::string(25, ' ') + b.odfi8 + number);
    file_count += count;
    file_hash = (file_hash + hash) % kHashModulus;
    file_debit += debit;
    file_credit += credit;
  }
  const uint64_t blocks = (records.size() + 1 + 9) / 10;
  records.push_back("9" + Num(p.batches.size(), 6) + Num(blocks, 6) + Num(file_count, 8) + Num(file_hash, 10) +
                    Num(file_debit, 12) + Num(file_credit, 12) + std::string(39, ' '));
  while (records.size() % 10 != 0) records.push_back(kPaddingRecord);  // NACHA-BLOCKING

  const std::string_view eol = Ending(file.bank.line_ending);
  std::string out;
  out.reserve(records.size() * (kRecordLength + eol.size()));
  for (const auto& r : records) {
    if (r.size() != kRecordLength)
      return Error::Internal("NACHA record of " + std::to_string(r.size()) + " characters, type " + r.substr(0, 1));
    out += r;
    out += eol;
  }
  // NACHA-RECHECK: read the bytes back and compare with what the model says they hold.
  auto parsed = ParseNacha(out);
  if (!parsed.ok()) {
    const auto& fe = parsed.error().fields;
    return Error::Internal("NACHA self-check: written file does not parse: " +
                           (fe.empty() ? parsed.error().message : fe[0].field + " " + fe[0].code));
  }
  if (!(*parsed == Expected(p, file.bank.line_ending)))
    return Error::Internal("NACHA self-check: written file differs from the model");
  return out;
}

Result<NachaBatch> MakeSameDayBatch(const NachaFile& file, NachaBatch batch) {
  if (!IsValidTimeZone(file.time_zone)) return Error::Invalid("time_zone", "unknown", "Unknown IANA time zone.");
  batch.effective_date = ToLocal(file.created_at, file.time_zone).date;
  for (size_t j = 0; j < batch.entries.size(); ++j)
    if (batch.entries[j].amount > file.bank.same_day_entry_limit)
      return Error::Invalid("entries[" + std::to_string(j) + "].amount", "same_day_limit",
                            "Above the Same Day ACH per-entry limit.");
  return batch;
}

// ---- the reader -----------------------------------------------------------------------

namespace {

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  Result<NachaSummary> Run() {
    OPENMSO_TRY(SplitLines());
    NachaSummary s;
    s.line_ending = ending_;
    s.record_count = static_cast<int64_t>(lines_.size());
    OPENMSO_TRY(FileHeader());
    int64_t last_sequence = 0, last_batch = 0;
    size_t i = 1;
    while (i < lines_.size() && lines_[i][0] == '5') {
      OPENMSO_TRY(Batch(i, s, last_sequence, last_batch));
    }
    if (i >= lines_.size() || lines_[i][0] != '9' || lines_[i] == kPaddingRecord)
      return Fail(i, "record_order", "Expected a batch header (5) or the file control record (9).");
    OPENMSO_TRY(FileControl(i, s));
    size_t padding = lines_.size() - i - 1;
    for (size_t k = i + 1; k < lines_.size(); ++k)
      if (lines_[k] != kPaddingRecord) return Fail(k, "padding", "After the file control only 94 '9' filler records may follow.");
    if (lines_.size() % 10 != 0 || padding >= 10)
      return Fail(lines_.size() - 1, "padding", "The record count must be padded to a multiple of 10, with fewer than 10 filler records.");
    return s;
  }

 private:
  Error Fail(size_t line, std::string code, std::string message) const {
    return Error::Invalid("line " + std::to_string(line + 1), std::move(code), std::move(message));
  }

  Result<void> SplitLines() {
    if (text_.size() < kRecordLength + 1) return Fail(0, "line_length", "Too short for a NACHA file.");
    if (text_[kRecordLength] == '\n') ending_ = LineEnding::kLf;
    else if (text_[kRecordLength] == '\r' && text_.size() > kRecordLength + 1 && text_[kRecordLength + 1] == '\n')
      ending_ = LineEnding::kCrLf;
    else return Fail(0, "line_length", "Each record must be 94 characters followed by LF or CRLF.");
    const std::string_view eol = Ending(ending_);
    const size_t stride = kRecordLength + eol.size();
    size_t pos = 0;
    while (pos < text_.size()) {
      size_t line = lines_.size();
      if (pos + stride > text_.size() || text_.substr(pos + kRecordLength, eol.size()) != eol)
        return Fail(line, "line_length", "Each record must be 94 characters followed by the file's line ending.");
      std::string_view r = text_.substr(pos, kRecordLength);
      for (char c : r)
        if (c < 0x20 || c > 0x7E) return Fail(line, "invalid_characters", "Records hold printable ASCII only.");
      lines_.push_back(r);
      pos += stride;
    }
    return Ok();
  }

  static bool Digits(std::string_view r, size_t pos1, size_t len) { return AllDigits(r.substr(pos1 - 1, len)); }
  static std::string_view At(std::string_view r, size_t pos1, size_t len) { return r.substr(pos1 - 1, len); }
  static int64_t Int(std::string_view r, size_t pos1, size_t len) { return std::stoll(std::string(At(r, pos1, len))); }

  Result<void> FileHeader() {
    std::string_view r = lines_[0];
    if (r[0] != '1') return Fail(0, "record_order", "A file starts with the file header (1).");
    if (At(r, 2, 2) != "01" || At(r, 35, 3) != "094" || At(r, 38, 2) != "10" || At(r, 40, 1) != "1")
      return Fail(0, "file_header", "Priority 01, record size 094, blocking factor 10 and format code 1 are fixed.");
    if (r[3] != ' ' || !Digits(r, 5, 9) || !Digits(r, 24, 6) || !Digits(r, 30, 4))
      return Fail(0, "file_header", "Immediate destination, creation date and time must be digits.");
    if (!ValidateRoutingNumber(At(r, 5, 9)).ok())
      return Fail(0, "file_header", "The immediate destination is not a valid routing number.");
    char m = r[33];
    if (!((m >= 'A' && m <= 'Z') || IsDigit(m))) return Fail(0, "file_header", "The file id modifier is A-Z or 0-9.");
    return Ok();
  }

  Result<void> Batch(size_t& i, NachaSummary& s, int64_t& last_sequence, int64_t& last_batch) {
    const size_t header_line = i;
    std::string_view h = lines_[i];
    if (!Digits(h, 2, 3) || !Digits(h, 70, 6) || !Digits(h, 80, 8) || !Digits(h, 88, 7) || h[78] != '1')
      return Fail(i, "batch_header", "Malformed batch header.");
    int service_class = static_cast<int>(Int(h, 2, 3));
    if (service_class != 200 && service_class != 220 && service_class != 225)
      return Fail(i, "batch_header", "Service class is 200, 220 or 225.");
    NachaBatchRecord b;
    b.service_class = service_class;
    b.company_id = RightTrim(At(h, 41, 10));
    b.sec_code = std::string(At(h, 51, 3));
    b.entry_description = RightTrim(At(h, 54, 10));
    b.effective_date = std::string(At(h, 70, 6));
    b.odfi_id = std::string(At(h, 80, 8));
    b.batch_number = Int(h, 88, 7);
    if (b.batch_number <= last_batch) return Fail(i, "batch_number", "Batch numbers must ascend.");
    last_batch = b.batch_number;
    const size_t batch_index = s.batches.size();
    ++i;
    int64_t count = 0, hash = 0, debit = 0, credit = 0;
    while (i < lines_.size() && lines_[i][0] == '6') {
      std::string_view e = lines_[i];
      if (!Digits(e, 2, 2) || !Digits(e, 4, 9) || !Digits(e, 30, 10) || !Digits(e, 80, 15) ||
          (e[78] != '0' && e[78] != '1'))
        return Fail(i, "entry", "Malformed entry detail record.");
      auto code = ParseTransactionCode(static_cast<int>(Int(e, 2, 2)));
      if (!code) return Fail(i, "transaction_code", "Unknown transaction code.");
      NachaEntryRecord er;
      er.batch_index = batch_index;
      er.transaction_code = static_cast<int>(*code);
      er.routing_number = std::string(At(e, 4, 9));
      if (auto v = ValidateRoutingNumber(er.routing_number); !v) return Fail(i, v.error().fields[0].code, "Invalid receiving DFI routing number.");
      er.account_number = RightTrim(At(e, 13, 17));
      if (!ValidateAccountNumber(er.account_number).ok()) return Fail(i, "account_number", "Invalid DFI account number.");
      er.amount = Money::Cents(Int(e, 30, 10));
      if (IsZeroDollar(*code) && er.amount.cents() != 0) return Fail(i, "nonzero_prenote", "A prenote or zero-dollar entry must have a zero amount.");
      bool is_credit = IsCredit(*code);
      if (service_class == 220 && !is_credit) return Fail(i, "debit_in_credit_batch", "A debit in a credits-only batch.");
      if (service_class == 225 && is_credit) return Fail(i, "credit_in_debit_batch", "A credit in a debits-only batch.");
      er.individual_id = RightTrim(At(e, 40, 15));
      er.individual_name = RightTrim(At(e, 55, 22));
      er.trace_number = std::string(At(e, 80, 15));
      if (er.trace_number.substr(0, 8) != b.odfi_id) return Fail(i, "trace_number", "A trace number starts with the batch's ODFI id.");
      int64_t sequence = Int(e, 88, 7);
      if (sequence <= last_sequence) return Fail(i, "trace_number", "Trace numbers must ascend through the file.");
      last_sequence = sequence;
      ++count;
      hash += Int(e, 4, 8);
      (is_credit ? credit : debit) += er.amount.cents();
      bool has_addenda = e[78] == '1';
      ++i;
      if (has_addenda) {
        if (i >= lines_.size() || lines_[i][0] != '7') return Fail(i, "addenda", "The entry announces an addenda record that does not follow.");
        std::string_view a = lines_[i];
        if (At(a, 2, 2) != "05" || At(a, 84, 4) != "0001" || At(a, 88, 7) != er.trace_number.substr(8))
          return Fail(i, "addenda", "Addenda type 05, sequence 0001 and the parent's trace sequence.");
        er.addenda = RightTrim(At(a, 4, 80));
        ++count;
        ++i;
      }
      s.entries.push_back(std::move(er));
    }
    if (count == 0) return Fail(header_line, "empty_batch", "A batch holds at least one entry.");
    if (i >= lines_.size() || lines_[i][0] != '8') return Fail(i, "record_order", "Expected an entry (6), addenda (7) or batch control (8).");
    std::string_view c = lines_[i];
    if (!Digits(c, 2, 3) || !Digits(c, 5, 6) || !Digits(c, 11, 10) || !Digits(c, 21, 12) || !Digits(c, 33, 12) ||
        !Digits(c, 80, 8) || !Digits(c, 88, 7))
      return Fail(i, "batch_control", "Malformed batch control record.");
    if (Int(c, 2, 3) != service_class || RightTrim(At(c, 45, 10)) != b.company_id || At(c, 80, 8) != b.odfi_id ||
        Int(c, 88, 7) != b.batch_number)
      return Fail(i, "batch_header_mismatch", "The batch control does not repeat its header's service class, company, ODFI or number.");
    b.entry_addenda_count = count;
    b.entry_hash = hash % kHashModulus;
    b.total_debit = Money::Cents(debit);
    b.total_credit = Money::Cents(credit);
    if (Int(c, 5, 6) != count) return Fail(i, "batch_count_mismatch", "The entry/addenda count differs from the records.");
    if (Int(c, 11, 10) != b.entry_hash) return Fail(i, "batch_hash_mismatch", "The entry hash differs from the records.");
    if (Int(c, 21, 12) != debit || Int(c, 33, 12) != credit)
      return Fail(i, "batch_total_mismatch", "The debit or credit total differs from the entries.");
    s.entry_addenda_count += count;
    s.entry_hash = (s.entry_hash + b.entry_hash) % kHashModulus;
    s.total_debit += b.total_debit;
    s.total_credit += b.total_credit;
    s.batches.push_back(std::move(b));
    ++i;
    return Ok();
  }

  Result<void> FileControl(size_t i, NachaSummary& s) {
    std::string_view f = lines_[i];
    if (!Digits(f, 2, 6) || !Digits(f, 8, 6) || !Digits(f, 14, 8) || !Digits(f, 22, 10) || !Digits(f, 32, 12) ||
        !Digits(f, 44, 12))
      return Fail(i, "file_control", "Malformed file control record.");
    s.batch_count = static_cast<int64_t>(s.batches.size());
    s.block_count = (static_cast<int64_t>(i) + 1 + 9) / 10;
    if (Int(f, 2, 6) != s.batch_count) return Fail(i, "file_count_mismatch", "The batch count differs from the batches.");
    if (Int(f, 8, 6) != s.block_count) return Fail(i, "file_count_mismatch", "The block count differs from the records.");
    if (Int(f, 14, 8) != s.entry_addenda_count) return Fail(i, "file_count_mismatch", "The entry/addenda count differs from the batches.");
    if (Int(f, 22, 10) != s.entry_hash) return Fail(i, "file_hash_mismatch", "The entry hash differs from the batches.");
    if (Int(f, 32, 12) != s.total_debit.cents() || Int(f, 44, 12) != s.total_credit.cents())
      return Fail(i, "file_total_mismatch", "The debit or credit total differs from the batches.");
    return Ok();
  }

  std::string_view text_;
  LineEnding ending_ = LineEnding::kLf;
  std::vector<std::string_view> lines_;
};

}  // namespace

Result<NachaSummary> ParseNacha(std::string_view text) { return Reader(text).Run(); }

}  // namespace openmso::formats
