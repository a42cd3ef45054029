// CSV (RFC 4180) for payroll registers and other tables that people open in spreadsheets,
// and the sheet checks and totals that the CSV and XLSX writers share.
#include "formats/formats.h"
#include "formats/internal.h"

namespace openmso::formats {

namespace internal {

Result<std::vector<std::optional<Cell>>> CheckSheet(const Sheet& sheet, const std::string& at) {
  const size_t n = sheet.columns.size();
  if (n == 0) return Error::Invalid(at + "columns", "empty", "A sheet needs at least one column.");
  std::vector<std::optional<Cell>> totals(n);
  std::vector<Cell::Kind> kinds(n, Cell::Kind::kEmpty);
  std::vector<int64_t> sums(n, 0);
  for (size_t i = 0; i < sheet.rows.size(); ++i) {
    const auto& row = sheet.rows[i];
    if (row.size() != n)
      return Error::Invalid(at + "rows[" + std::to_string(i) + "]", "cell_count",
                            "Each row has one cell per column.");
    for (size_t j = 0; j < n; ++j) {
      if (sheet.columns[j].total != ColumnTotal::kSum || row[j].kind == Cell::Kind::kEmpty) continue;
      const std::string col = at + "columns[" + std::to_string(j) + "]";
      if (row[j].kind != Cell::Kind::kInteger && row[j].kind != Cell::Kind::kMoney)
        return Error::Invalid(col, "sum_of_text", "A summed column holds only numbers or money.");
      if (kinds[j] != Cell::Kind::kEmpty && kinds[j] != row[j].kind)
        return Error::Invalid(col, "mixed_sum", "A summed column holds one kind of number.");
      kinds[j] = row[j].kind;
      if (__builtin_add_overflow(sums[j], row[j].value, &sums[j]))
        return Error::Invalid(col, "overflow", "The column total overflows.");
    }
  }
  for (size_t j = 0; j < n; ++j) {
    if (sheet.columns[j].total != ColumnTotal::kSum) continue;
    totals[j] = kinds[j] == Cell::Kind::kInteger ? IntegerCell(sums[j]) : MoneyCell(Money::Cents(sums[j]));
  }
  return totals;
}

}  // namespace internal

namespace {

std::string CellText(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::kEmpty: return "";
    case Cell::Kind::kText: return CsvField(c.text);
    case Cell::Kind::kInteger: return std::to_string(c.value);
    case Cell::Kind::kMoney: return Money::Cents(c.value).ToDecimalString();
    case Cell::Kind::kDate: return c.date.ToString();
  }
  return "";
}

}  // namespace

std::string CsvField(std::string_view text, bool formula_guard) {
  std::string v;
  // CSV-FORMULA-GUARD (OWASP "CSV injection"): a leading = + - @ TAB CR makes a spreadsheet
  // evaluate the cell; an apostrophe makes it text.
  if (formula_guard && !text.empty() &&
      (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t' || text[0] == '\r'))
    v += '\'';
  v += text;
  // CSV-QUOTE (RFC 4180 §2.6, §2.7).
  if (v.find_first_of("\",\r\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char c : v) {
    if (c == '"') q += '"';
    q += c;
  }
  q += '"';
  return q;
}

Result<std::string> WriteCsv(const Sheet& sheet, const CsvOptions& options) {
  OPENMSO_ASSIGN_OR_RETURN(auto totals, internal::CheckSheet(sheet, ""));
  std::string out;
  if (options.byte_order_mark) out += "\xEF\xBB\xBF";
  auto record = [&](auto&& cell_text, size_t n) {
    for (size_t j = 0; j < n; ++j) {
      if (j) out += ',';
      out += cell_text(j);
    }
    out += "\r\n";  // RFC 4180 §2.1: CRLF after every record, the last one included
  };
  const size_t n = sheet.columns.size();
  record([&](size_t j) { return CsvField(sheet.columns[j].header); }, n);
  for (const auto& row : sheet.rows) record([&](size_t j) { return CellText(row[j]); }, n);
  if (sheet.totals != TotalsRow::kNone) {
    record([&](size_t j) {
      if (totals[j]) return CellText(*totals[j]);
      return j == 0 ? CsvField(sheet.totals_label) : std::string();
    }, n);
  }
  return out;
}

}  // namespace openmso::formats
