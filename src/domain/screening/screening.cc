// Pure rules of the screening module: the CSV reader, the LEIE layout, name folding, the
// indexed matcher, the synthetic generator and the onboarding file. No I/O.
#include "domain/screening/screening.h"

#include <algorithm>
#include <map>
#include <set>

namespace openmso::screening {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string Trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) --b;
  return std::string(s.substr(a, b - a));
}

}  // namespace

// ---- CSV ------------------------------------------------------------------------------------

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) { ++i; continue; }
    int n;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
    else return false;
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)) return false;  // overlong
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

// SCREEN-CSV: RFC 4180 with LF or CRLF.
Result<std::vector<CsvRecord>> ReadCsv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CsvRecord> out;
  size_t i = 0;
  int line = 1;
  while (i < text.size()) {
    // Skip blank lines.
    if (text[i] == '\n') { ++i; ++line; continue; }
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') { i += 2; ++line; continue; }
    CsvRecord rec;
    rec.line = line;
    size_t rec_start = i;
    std::string field;
    bool done = false;
    while (!done) {
      field.clear();
      if (i < text.size() && text[i] == '"') {
        ++i;
        int open_line = line;
        for (;;) {
          if (i >= text.size())
            return Error::Invalid("line " + std::to_string(open_line), "unterminated_quote",
                                  "A quoted value is not closed before the end of the file.");
          char c = text[i];
          if (c == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') { field += '"'; i += 2; continue; }
            ++i;
            break;
          }
          if (c == '\n') ++line;
          field += c;
          ++i;
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && !(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n'))
          return Error::Invalid("line " + std::to_string(line), "text_after_quote",
                                "Text follows a closing quote; quote the whole value and double any quote inside it.");
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' &&
               !(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n'))
          field += text[i++];
      }
      rec.fields.push_back(field);
      if (i >= text.size()) { done = true; }
      else if (text[i] == ',') { ++i; if (i >= text.size()) { rec.fields.emplace_back(); done = true; } }
      else if (text[i] == '\n') { ++i; ++line; done = true; }
      else { i += 2; ++line; done = true; }  // CRLF
    }
    rec.bad_utf8 = !IsValidUtf8(text.substr(rec_start, i - rec_start));
    out.push_back(std::move(rec));
  }
  return out;
}

// ---- LEIE -------------------------------------------------------------------------------------

std::string_view LeieKindName(LeieKind k) {
  switch (k) {
    case LeieKind::kFull: return "full";
    case LeieKind::kExclusions: return "exclusions";
    case LeieKind::kReinstatements: return "reinstatements";
  }
  return "full";
}

std::optional<LeieKind> ParseLeieKind(std::string_view n) {
  for (auto k : {LeieKind::kFull, LeieKind::kExclusions, LeieKind::kReinstatements})
    if (LeieKindName(k) == n) return k;
  return std::nullopt;
}

namespace {

// "YYYYMMDD", "" or the "00000000" placeholder (nullopt, ok); false for anything else.
bool LeieDate(std::string_view s, std::optional<Date>& out) {
  out.reset();
  if (s.empty() || s == "00000000") return true;
  if (s.size() != 8 || !AllDigits(s)) return false;
  std::string iso = std::string(s.substr(0, 4)) + "-" + std::string(s.substr(4, 2)) + "-" + std::string(s.substr(6, 2));
  out = Date::Parse(iso);
  return out.has_value();
}

}  // namespace

// SCREEN-LEIE-LAYOUT (cred.md §5, the 18-column UPDATED.csv and its supplements).
Result<std::vector<ExclusionEntry>> ParseLeie(std::string_view text, LeieKind kind) {
  OPENMSO_ASSIGN_OR_RETURN(auto records, ReadCsv(text));
  auto fail = [](FieldErrors& e) {
    Error err = e.ToError();
    err.type = "leie-format";
    err.message = "The file is not in the OIG LEIE layout; nothing was imported.";
    return err;
  };
  FieldErrors errs;
  if (records.empty()) {
    errs.Add("header", "missing_header", "The file is empty; the LEIE header row is expected first.");
    return fail(errs);
  }
  const auto& header = records[0].fields;
  for (size_t c = 0; c < 18; ++c) {
    std::string got = c < header.size() ? Trim(header[c]) : "";
    if (got != kLeieColumns[c]) {
      errs.Add("header, column " + std::to_string(c + 1) + " (" + std::string(kLeieColumns[c]) + ")", "bad_header",
               "Expected " + std::string(kLeieColumns[c]) + (c < header.size() ? " but found a different name." : " but the header ends."));
      return fail(errs);
    }
  }
  if (header.size() != 18) {
    errs.Add("header, column 19", "bad_header", "The LEIE layout has 18 columns; the header has " + std::to_string(header.size()) + ".");
    return fail(errs);
  }
  std::vector<ExclusionEntry> out;
  out.reserve(records.size() - 1);
  int reported = 0;
  auto add = [&](int line, std::string_view col, std::string code, std::string msg) {
    if (++reported <= 100) errs.Add("line " + std::to_string(line) + ", column " + std::string(col), std::move(code), std::move(msg));
  };
  for (size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    if (rec.bad_utf8) { add(rec.line, "*", "bad_encoding", "The row is not valid UTF-8."); continue; }
    if (rec.fields.size() != 18) {
      add(rec.line, "*", "column_count", "Expected 18 columns, found " + std::to_string(rec.fields.size()) + ".");
      continue;
    }
    const auto& f = rec.fields;
    ExclusionEntry e;
    e.line = rec.line;
    e.last_name = Trim(f[0]); e.first_name = Trim(f[1]); e.mid_name = Trim(f[2]); e.bus_name = Trim(f[3]);
    e.general = Trim(f[4]); e.specialty = Trim(f[5]); e.upin = Trim(f[6]);
    std::string npi = Trim(f[7]);
    if (!npi.empty() && npi != "0000000000") {
      if (npi.size() != 10 || !AllDigits(npi)) add(rec.line, "NPI", "invalid_npi", "NPI must be 10 digits or 0000000000.");
      else e.npi = npi;
    }
    if (!LeieDate(Trim(f[8]), e.dob)) add(rec.line, "DOB", "invalid_date", "DOB must be a real date YYYYMMDD or 00000000.");
    e.address = Trim(f[9]); e.city = Trim(f[10]); e.state = Trim(f[11]); e.zip = Trim(f[12]); e.excl_type = Trim(f[13]);
    if (!LeieDate(Trim(f[14]), e.excl_date)) add(rec.line, "EXCLDATE", "invalid_date", "EXCLDATE must be a real date YYYYMMDD.");
    else if (!e.excl_date) add(rec.line, "EXCLDATE", "required", "Every exclusion has an effective date.");
    if (!LeieDate(Trim(f[15]), e.rein_date)) add(rec.line, "REINDATE", "invalid_date", "REINDATE must be a real date YYYYMMDD or 00000000.");
    else if (kind == LeieKind::kReinstatements && !e.rein_date) add(rec.line, "REINDATE", "required", "A reinstatement row has a reinstatement date.");
    else if (kind != LeieKind::kReinstatements && e.rein_date)
      add(rec.line, "REINDATE", "unexpected", "The active list and the exclusions supplement carry 00000000 here; is this the reinstatements file?");
    if (!LeieDate(Trim(f[16]), e.waiver_date)) add(rec.line, "WAIVERDATE", "invalid_date", "WAIVERDATE must be a real date YYYYMMDD or 00000000.");
    e.waiver_state = Trim(f[17]);
    if (e.state.size() > 2) add(rec.line, "STATE", "invalid_value", "STATE is a two-letter code.");
    if (e.bus_name.empty() && (e.last_name.empty() || e.first_name.empty()))
      add(rec.line, e.last_name.empty() ? "LASTNAME" : "FIRSTNAME", "required", "A row names an individual (LASTNAME and FIRSTNAME) or a business (BUSNAME).");
    out.push_back(std::move(e));
  }
  if (!errs.empty()) {
    Error err = fail(errs);
    if (reported > 100) err.message += " " + std::to_string(reported) + " problems; the first 100 are listed.";
    return err;
  }
  return out;
}

std::string EntryKey(const ExclusionEntry& e) {
  return FoldName(e.last_name) + "|" + FoldName(e.first_name) + "|" + FoldName(e.mid_name) + "|" + FoldName(e.bus_name) +
         "|" + e.npi.value_or("") + "|" + (e.dob ? e.dob->ToString() : "") + "|" + (e.excl_date ? e.excl_date->ToString() : "");
}

// SCREEN-ACTIVE (cred.md §5: a reinstatement on or before the screening date ends it).
bool IsActive(const ExclusionEntry& e, Date on) { return !e.rein_date || on < *e.rein_date; }

// ---- Name folding ----------------------------------------------------------------------------

namespace {
// Base letters of U+00C0..U+00FF and U+0100..U+017F; '*' marks a two-letter fold, '-' a
// non-letter (dropped).
constexpr std::string_view kLatin1 = "AAAAAA*CEEEEIIIIDNOOOOO-OUUUUY**AAAAAA*CEEEEIIIIDNOOOOO-OUUUUY*Y";
constexpr std::string_view kLatinA =
    "AAAAAACCCCCCCCDD" "DDEEEEEEEEEEGGGG" "GGGGHHHHIIIIIIII" "II**JJKKKLLLLLLL"
    "LLLNNNNNNNNNOOOO" "OO**RRRRRRSSSSSS" "SSTTTTTTUUUUUUUU" "UUUUWWYYYZZZZZZS";

std::string_view TwoLetterFold(uint32_t cp) {
  switch (cp) {
    case 0xC6: case 0xE6: return "AE";
    case 0xDE: case 0xFE: return "TH";
    case 0xDF: return "SS";
    case 0x132: case 0x133: return "IJ";
    case 0x152: case 0x153: return "OE";
  }
  return "";
}
}  // namespace

// SCREEN-NAME-FOLD (cred.md §5: trim, collapse white space, fold case, strip diacritics,
// both apostrophes alike; hyphen read both ways by dropping it).
std::string FoldName(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c >= 'a' && c <= 'z') out += static_cast<char>(c - 32);
      else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) out += static_cast<char>(c);
      ++i;
      continue;
    }
    // Decode one UTF-8 sequence (invalid bytes are kept as they are).
    int n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    if (i + n > s.size()) n = 1;
    uint32_t cp = n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : n == 4 ? (c & 0x07) : c;
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    char base = 0;
    if (cp >= 0xC0 && cp <= 0xFF) base = kLatin1[cp - 0xC0];
    else if (cp >= 0x100 && cp <= 0x17F) base = kLatinA[cp - 0x100];
    if (base == '*') out += TwoLetterFold(cp);
    else if (base == '-') {}
    else if (base) out += base;
    else if ((cp >= 0x2000 && cp <= 0x206F) || cp == 0xA0 || (cp >= 0x80 && cp < 0xC0) || cp == 0x2BC) {
      // general punctuation (’ ‘ ‐ – —), no-break space, Latin-1 symbols, modifier apostrophe: dropped
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

// ---- Matching ----------------------------------------------------------------------------------

std::string_view MatchKindName(MatchKind k) {
  switch (k) {
    case MatchKind::kNpi: return "npi";
    case MatchKind::kNameDob: return "name_dob";
    case MatchKind::kName: return "name";
  }
  return "name";
}

std::optional<MatchKind> ParseMatchKind(std::string_view n) {
  for (auto k : {MatchKind::kNpi, MatchKind::kNameDob, MatchKind::kName})
    if (MatchKindName(k) == n) return k;
  return std::nullopt;
}

namespace {
std::string NameKey(std::string_view last, std::string_view first) {
  std::string k = FoldName(last);
  k += '|';
  k += FoldName(first);
  return k;
}
}  // namespace

ExclusionIndex::ExclusionIndex(const std::vector<ExclusionEntry>& entries, Date on) : entries_(entries) {
  by_npi_.reserve(entries.size() / 2);
  by_name_.reserve(entries.size());
  for (uint32_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    if (!IsActive(e, on)) continue;
    ++active_;
    if (e.npi) by_npi_[*e.npi].push_back(i);  // never a zero NPI (ParseLeie made it empty)
    if (!e.last_name.empty() && !e.first_name.empty()) {
      std::string k = NameKey(e.last_name, e.first_name);
      if (k.size() > 2 && k.front() != '|' && k.back() != '|') by_name_[k].push_back(i);
    }
  }
}

void ExclusionIndex::Screen(const Person& p, uint32_t person_index, std::vector<Match>& out) const {
  size_t first = out.size();
  if (p.npi && !p.npi->empty()) {
    if (auto it = by_npi_.find(*p.npi); it != by_npi_.end())
      for (uint32_t e : it->second) out.push_back({person_index, e, MatchKind::kNpi});  // SCREEN-NPI
  }
  std::string key = NameKey(p.last_name, p.first_name);
  if (key.front() == '|' || key.back() == '|') return;  // a missing name never matches
  auto it = by_name_.find(key);
  if (it == by_name_.end()) return;
  for (uint32_t e : it->second) {
    bool seen = false;
    for (size_t m = first; m < out.size(); ++m) seen = seen || out[m].entry == e;
    if (seen) continue;  // already an NPI match, the strongest
    const ExclusionEntry& x = entries_[e];
    MatchKind kind = p.dob && x.dob && *p.dob == *x.dob ? MatchKind::kNameDob : MatchKind::kName;  // SCREEN-NAME-DOB / -ONLY
    if (kind == MatchKind::kNameDob && p.npi && x.npi && *p.npi != *x.npi) kind = MatchKind::kName;  // SCREEN-NPI-CONFLICT
    out.push_back({person_index, e, kind});
  }
}

std::vector<Match> ScreenAll(const ExclusionIndex& index, const std::vector<Person>& persons) {
  std::vector<Match> out;
  for (uint32_t i = 0; i < persons.size(); ++i) index.Screen(persons[i], i, out);
  return out;
}

// ---- Synthetic data -----------------------------------------------------------------------------

namespace {
struct Rng {  // splitmix64: deterministic on every platform
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }
};

constexpr std::string_view kLast[] = {"SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS",
                                      "RODRIGUEZ", "MARTINEZ", "HERNANDEZ", "LOPEZ", "GONZALEZ", "WILSON", "ANDERSON",
                                      "THOMAS", "TAYLOR", "MOORE", "JACKSON", "MARTIN", "LEE", "PEREZ", "THOMPSON",
                                      "WHITE", "HARRIS", "SANCHEZ", "CLARK", "RAMIREZ", "LEWIS", "ROBINSON"};
constexpr std::string_view kFirst[] = {"MARY", "PATRICIA", "JENNIFER", "LINDA", "ELIZABETH", "BARBARA", "SUSAN",
                                       "JESSICA", "SARAH", "KAREN", "JAMES", "ROBERT", "JOHN", "MICHAEL", "DAVID",
                                       "WILLIAM", "RICHARD", "JOSEPH", "THOMAS", "CHARLES", "MARIA", "ANA", "LUIS",
                                       "JOSE", "CARLOS", "ANGELA", "BRENDA", "AMY", "ANNA", "REBECCA"};
constexpr std::string_view kStates[] = {"AL", "AZ", "CA", "FL", "GA", "IL", "NY", "OH", "PA", "TX", "WA", "MI"};

// A syllable-built surname, so that names are mostly distinct across a large roster.
std::string Surname(Rng& r) {
  static constexpr std::string_view kSyl[] = {"BAR", "KEN", "DO", "LIN", "MOR", "TA", "VEL", "SAN", "RO", "QUI",
                                              "FER", "NAL", "GOR", "HAM", "PEL", "TRI", "WIN", "ZO", "CAS", "MIR"};
  if (r.Below(50) == 0) return std::string(kLast[r.Below(std::size(kLast))]);
  std::string s;
  int n = 2 + static_cast<int>(r.Below(3));
  for (int i = 0; i < n; ++i) s += kSyl[r.Below(std::size(kSyl))];
  return s;
}

// A given name: a common one, or a syllable-built one half of the time.
std::string GivenName(Rng& r) {
  static constexpr std::string_view kEnd[] = {"A", "ANA", "EL", "INE", "ON", "IS", "ETTE", "IO", "ELLE", "AN"};
  if (r.Below(2)) return std::string(kFirst[r.Below(std::size(kFirst))]);
  return Surname(r).substr(0, 3 + r.Below(3)) + std::string(kEnd[r.Below(std::size(kEnd))]);
}

std::string ValidNpi(Rng& r) {
  std::string first9 = std::string(1, r.Below(2) ? '1' : '2');
  for (int i = 0; i < 8; ++i) first9 += static_cast<char>('0' + r.Below(10));
  return first9 + static_cast<char>('0' + credentialing::NpiCheckDigit(first9));
}

std::string Yyyymmdd(Rng& r, int from_year, int years) {
  int y = from_year + static_cast<int>(r.Below(years)), m = 1 + static_cast<int>(r.Below(12)), d = 1 + static_cast<int>(r.Below(28));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", y, m, d);
  return buf;
}
}  // namespace

std::string SyntheticLeie(int rows, uint64_t seed) {
  Rng r{seed};
  std::string out;
  out.reserve(static_cast<size_t>(rows) * 160);
  for (size_t c = 0; c < 18; ++c) out += (c ? ",\"" : "\"") + std::string(kLeieColumns[c]) + "\"";
  out += "\r\n";
  for (int i = 0; i < rows; ++i) {
    bool business = r.Below(20) == 0;
    std::string last = business ? "" : Surname(r);
    std::string first = business ? "" : GivenName(r);
    std::string mid = business || r.Below(2) ? "" : std::string(1, static_cast<char>('A' + r.Below(26)));
    std::string bus = business ? Surname(r) + " HOME HEALTH LLC" : "";
    std::string npi = r.Below(3) == 0 ? ValidNpi(r) : "0000000000";
    std::string dob = !business && r.Below(10) != 0 ? Yyyymmdd(r, 1950, 50) : "00000000";
    std::string state(kStates[r.Below(std::size(kStates))]);
    const std::string vals[18] = {last, first, mid, bus, business ? "BUSINESS" : "NURSING PROFESSION",
                                  business ? "HOME HEALTH AGENCY" : "NURSE/NURSES AIDE", "", npi, dob,
                                  std::to_string(100 + r.Below(9000)) + " MAIN ST", "SPRINGFIELD", state,
                                  std::to_string(10000 + r.Below(89999)), r.Below(2) ? "1128b4" : "1128a1",
                                  Yyyymmdd(r, 2005, 20), "00000000", "00000000", ""};
    for (size_t c = 0; c < 18; ++c) out += (c ? ",\"" : "\"") + vals[c] + "\"";
    out += "\r\n";
  }
  return out;
}

std::vector<Person> SyntheticPersons(int count, uint64_t seed) {
  Rng r{seed};
  std::vector<Person> out;
  out.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    Person p;
    p.id = i + 1;
    p.last_name = Surname(r);
    p.first_name = GivenName(r);
    if (r.Below(2)) p.first_name[1] = static_cast<char>(p.first_name[1] + 32);  // mixed case, as people type
    p.dob = Date::FromDaysSinceEpoch(-7300 + static_cast<int64_t>(r.Below(18000)));
    if (r.Below(2)) p.npi = ValidNpi(r);
    out.push_back(std::move(p));
  }
  return out;
}

// ---- Onboarding --------------------------------------------------------------------------------

std::optional<Date> ParseFlexibleDate(std::string_view s) {
  if (s.size() == 10 && s[4] == '-') return Date::Parse(s);
  // MM/DD/YYYY (one-digit month and day allowed).
  size_t a = s.find('/'), b = a == std::string_view::npos ? a : s.find('/', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  std::string_view m = s.substr(0, a), d = s.substr(a + 1, b - a - 1), y = s.substr(b + 1);
  if (m.empty() || m.size() > 2 || d.empty() || d.size() > 2 || y.size() != 4 || !AllDigits(m) || !AllDigits(d) || !AllDigits(y))
    return std::nullopt;
  auto pad = [](std::string_view v) { return v.size() == 1 ? "0" + std::string(v) : std::string(v); };
  return Date::Parse(std::string(y) + "-" + pad(m) + "-" + pad(d));
}

namespace {

// The CSV column a validator's JSON field name comes from.
std::string ColumnOf(std::string_view field, bool credential) {
  if (field.starts_with("home.")) return "home_" + std::string(field.substr(5));
  if (field.starts_with("disciplines")) return "disciplines";
  if (field.starts_with("specialties")) return "specialties";
  if (credential) {
    if (field == "kind") return "credential_kind";
    if (field == "type_code") return "credential_type";
  }
  return std::string(field);
}

bool SameProfile(const credentialing::ProfileDraft& a, const credentialing::ProfileDraft& b) {
  return a.first_name == b.first_name && a.last_name == b.last_name && a.phone == b.phone &&
         a.date_of_birth == b.date_of_birth && a.home.latitude == b.home.latitude && a.home.longitude == b.home.longitude &&
         a.travel_radius_km == b.travel_radius_km && a.disciplines == b.disciplines &&
         a.employment_type == b.employment_type && a.employment_class == b.employment_class && a.npi == b.npi &&
         a.primary_state == b.primary_state;
}

bool ParseNumber(std::string_view s, double& out) {
  if (s.empty() || s.size() > 30) return false;
  std::string t(s);
  char* end = nullptr;
  out = std::strtod(t.c_str(), &end);
  return end == t.c_str() + t.size();
}

}  // namespace

// ONBOARD-CSV (issue 3 part 9 and "Bad input").
Result<OnboardingFile> ParseOnboarding(std::string_view text, const std::vector<credentialing::Discipline>& known,
                                       Date today) {
  using namespace credentialing;
  OPENMSO_ASSIGN_OR_RETURN(auto records, ReadCsv(text));
  constexpr size_t kCols = std::size(kOnboardingColumns);
  if (records.empty()) return Error::Invalid("header", "missing_header", "The file is empty; the header row is expected first.");
  const auto& header = records[0].fields;
  for (size_t c = 0; c < kCols; ++c) {
    std::string got = c < header.size() ? Trim(header[c]) : "";
    if (got != kOnboardingColumns[c])
      return Error::Invalid("header, column " + std::to_string(c + 1) + " (" + std::string(kOnboardingColumns[c]) + ")",
                            "bad_header", "Expected " + std::string(kOnboardingColumns[c]) + "; see docs/onboarding.md.");
  }
  if (header.size() != kCols)
    return Error::Invalid("header, column " + std::to_string(kCols + 1), "bad_header",
                          "The layout has " + std::to_string(kCols) + " columns; see docs/onboarding.md.");
  OnboardingFile out;
  std::map<std::string, size_t> by_email;          // email -> index in `all`
  std::map<std::string, std::string> npi_owner;    // npi -> email
  std::vector<OnboardingClinician> all;
  std::set<std::string> bad;                       // emails with at least one bad row
  for (size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    ++out.rows;
    auto err = [&](std::string_view col, std::string code, std::string msg) {
      out.errors.push_back({"line " + std::to_string(rec.line) + ", column " + std::string(col), std::move(code), std::move(msg)});
    };
    std::string email = rec.fields.empty() ? "" : Trim(rec.fields[0]);
    for (auto& ch : email) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (rec.bad_utf8) { err("*", "bad_encoding", "The row is not valid UTF-8; save the file as UTF-8."); bad.insert(email); continue; }
    if (rec.fields.size() != kCols) {
      err("*", "column_count", "Expected " + std::to_string(kCols) + " columns, found " + std::to_string(rec.fields.size()) + ".");
      bad.insert(email);
      continue;
    }
    std::vector<std::string> f;
    for (const auto& v : rec.fields) f.push_back(Trim(v));
    size_t before = out.errors.size();
    if (email.empty() || email.size() > 254 || email.find('@') == std::string::npos || email.find(' ') != std::string::npos)
      err("email", "invalid_email", "An email address is required.");
    ProfileDraft p;
    p.first_name = f[1];
    p.last_name = f[2];
    if (!f[3].empty()) {
      p.date_of_birth = ParseFlexibleDate(f[3]);
      if (!p.date_of_birth) err("date_of_birth", "invalid_date", "Not a real date (YYYY-MM-DD or MM/DD/YYYY).");
    }
    p.phone = f[4];
    if (!f[5].empty()) p.npi = f[5];
    p.primary_state = f[6];
    for (size_t a = 0, b; a <= f[7].size(); a = b + 1) {
      b = f[7].find(';', a);
      if (b == std::string::npos) b = f[7].size();
      std::string d = Trim(std::string_view(f[7]).substr(a, b - a));
      if (!d.empty()) p.disciplines.push_back(d);
    }
    p.employment_type = f[8];
    p.employment_class = f[9];
    if (!ParseNumber(f[10], p.home.latitude)) { err("home_latitude", "invalid_number", "A number of degrees is required."); p.home.latitude = 0; }
    if (!ParseNumber(f[11], p.home.longitude)) { err("home_longitude", "invalid_number", "A number of degrees is required."); p.home.longitude = 0; }
    double radius = 0;
    if (!ParseNumber(f[12], radius) || radius != static_cast<int64_t>(radius)) err("travel_radius_km", "invalid_number", "A whole number of kilometres is required.");
    p.travel_radius_km = static_cast<int64_t>(radius);
    if (auto v = ValidateProfile(p, known, today); !v.ok())
      for (const auto& fe : v.error().fields) err(ColumnOf(fe.field, false), fe.code, fe.message);
    std::optional<CredentialDraft> cred;
    bool any_cred = std::any_of(f.begin() + 13, f.end(), [](const std::string& v) { return !v.empty(); });
    if (any_cred) {
      CredentialDraft d;
      if (auto k = ParseKind(f[13])) d.kind = *k;
      else err("credential_kind", "invalid_value", "Kind must be license, certification, health or background_check.");
      d.type_code = f[14];
      d.jurisdiction = f[15];
      d.number = f[16];
      if (f[17] == "true" || f[17] == "yes" || f[17] == "1") d.multistate = true;
      else if (!f[17].empty() && f[17] != "false" && f[17] != "no" && f[17] != "0")
        err("multistate", "invalid_value", "multistate is true or false.");
      bool dates_ok = true;
      if (!f[18].empty() && !(d.issued_on = ParseFlexibleDate(f[18]))) { err("issued_on", "invalid_date", "Not a real date (YYYY-MM-DD or MM/DD/YYYY)."); dates_ok = false; }
      if (!f[19].empty() && !(d.expires_on = ParseFlexibleDate(f[19]))) { err("expires_on", "invalid_date", "Not a real date (YYYY-MM-DD or MM/DD/YYYY)."); dates_ok = false; }
      d.issuer = f[20];
      if (auto v = ValidateCredential(d, known, today); !v.ok())
        for (const auto& fe : v.error().fields) {
          if (!dates_ok && (fe.field == "issued_on" || fe.field == "expires_on") && fe.code == "required") continue;
          err(ColumnOf(fe.field, true), fe.code, fe.message);
        }
      cred = d;
    }
    // One NPI per clinician (CRED-NPI-UNIQUE), within the file too.
    if (p.npi && !email.empty()) {
      auto [it, fresh] = npi_owner.emplace(*p.npi, email);
      if (!fresh && it->second != email) err("npi", "duplicate_npi", "Another clinician of this file has this NPI.");
    }
    auto known_it = by_email.find(email);
    if (known_it != by_email.end() && !SameProfile(all[known_it->second].profile, p))
      err("*", "profile_differs", "Rows of one clinician (same email) must repeat the same profile as line " +
                                      std::to_string(all[known_it->second].line) + ".");
    if (out.errors.size() != before) { bad.insert(email); continue; }
    if (known_it == by_email.end()) {
      by_email.emplace(email, all.size());
      all.push_back({rec.line, email, p, {}});
      known_it = by_email.find(email);
    }
    if (cred) all[known_it->second].credentials.emplace_back(rec.line, *cred);
  }
  for (auto& c : all)
    if (!bad.count(c.email)) out.clinicians.push_back(std::move(c));
  return out;
}

}  // namespace openmso::screening
