// The `openmso roster` command line: solve an instance file into an XML roster, or
// evaluate an XML roster, printing the objective with its breakdown.
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>

#include "solver/solver.h"

namespace openmso::solver {
namespace {

constexpr const char* kUsage =
    "usage: openmso roster solve INSTANCE_FILE [--time-limit SECONDS] [--threads N] [--seed S]\n"
    "                            [--out ROSTER.xml] [--max-iterations N] [--progress]\n"
    "       openmso roster evaluate INSTANCE_FILE ROSTER.xml\n"
    "       openmso roster --help\n"
    "\n"
    "solve     builds a roster for a Curtois & Qu benchmark instance (text format) and\n"
    "          prints its objective and breakdown; --out writes the XML Roster format.\n"
    "          Defaults: --time-limit 60 (seconds, wall clock), --threads 1, --seed 1.\n"
    "          Progress goes to stderr when it is a terminal or with --progress.\n"
    "evaluate  scores an XML roster and lists every hard-constraint violation.\n"
    "\n"
    "exit status: 0 success (and feasible), 1 roster infeasible, 2 usage or input error\n";

bool ParseDouble(const std::string& s, double& out) {
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size() && out >= 0;
}

bool ParseI64(const std::string& s, int64_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && out >= 0;
}

bool ReadFile(const std::string& path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::stringstream ss;
  ss << f.rdbuf();
  out = ss.str();
  return true;
}

int Solve(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string instance_path, out_path;
  SolveOptions opt;
  bool progress = false;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& v) {
      if (i + 1 >= args.size()) return false;
      v = args[++i];
      return true;
    };
    std::string v;
    if (a == "--time-limit") {
      if (!value(v) || !ParseDouble(v, opt.time_limit_seconds)) { err << "error: --time-limit needs a number of seconds\n"; return 2; }
    } else if (a == "--threads") {
      int64_t n = 0;
      if (!value(v) || !ParseI64(v, n) || n < 1 || n > 256) { err << "error: --threads needs an integer in 1..256\n"; return 2; }
      opt.threads = static_cast<int>(n);
    } else if (a == "--seed") {
      int64_t n = 0;
      if (!value(v) || !ParseI64(v, n)) { err << "error: --seed needs a non-negative integer\n"; return 2; }
      opt.seed = static_cast<uint64_t>(n);
    } else if (a == "--max-iterations") {
      if (!value(v) || !ParseI64(v, opt.max_iterations)) { err << "error: --max-iterations needs a non-negative integer\n"; return 2; }
    } else if (a == "--out") {
      if (!value(out_path)) { err << "error: --out needs a file name\n"; return 2; }
    } else if (a == "--progress") {
      progress = true;
    } else if (!a.empty() && a[0] == '-') {
      err << "error: unknown option " << a << "\n" << kUsage;
      return 2;
    } else if (instance_path.empty()) {
      instance_path = a;
    } else {
      err << "error: unexpected argument " << a << "\n" << kUsage;
      return 2;
    }
  }
  if (instance_path.empty()) { err << "error: solve needs an INSTANCE_FILE\n" << kUsage; return 2; }
  auto instance = LoadInstance(instance_path);
  if (!instance.ok()) { err << "error: " << instance.error().message << "\n"; return 2; }

  bool is_tty = (&err == &std::cerr || &err == &std::clog) && isatty(STDERR_FILENO);
  bool show = progress || is_tty;
  if (show) {
    opt.on_progress = [&err, is_tty](const SolveProgress& p) {
      int width = 30;
      int filled = p.time_limit_seconds > 0 ? static_cast<int>(width * std::min(1.0, p.elapsed_seconds / p.time_limit_seconds)) : 0;
      char line[160];
      std::snprintf(line, sizeof line, "[%-*s] %5.1fs/%.0fs best %s%lld", width,
                    std::string(filled, '#').c_str(), p.elapsed_seconds, p.time_limit_seconds,
                    p.best_feasible ? "" : "(none feasible yet) ",
                    static_cast<long long>(p.best_feasible ? p.best_objective : 0));
      if (is_tty) err << "\r" << line << std::flush;
      else err << line << "\n" << std::flush;
    };
  }
  SolveResult r = openmso::solver::Solve(*instance, opt);
  if (show) {  // a final line, also for solves shorter than one progress interval
    SolveProgress p;
    p.elapsed_seconds = r.seconds_total;
    p.time_limit_seconds = opt.time_limit_seconds;
    p.best_feasible = r.evaluation.feasible();
    p.best_objective = r.evaluation.objective;
    p.iterations = r.iterations;
    opt.on_progress(p);
    if (is_tty) err << "\n";
  }
  out << "instance: " << instance->name << "\n"
      << FormatEvaluation(*instance, r.evaluation)
      << "time to best: " << r.seconds_to_best << " s, total " << r.seconds_total << " s, "
      << r.iterations << " moves\n";
  if (!out_path.empty()) {
    RosterXmlMeta meta;
    meta.penalty = r.evaluation.feasible() ? r.evaluation.objective : -1;
    meta.cpu_seconds = r.seconds_to_best;
    meta.algorithm = "OpenMSO simulated annealing";
    std::ofstream f(out_path, std::ios::binary);
    if (!f || !(f << FormatRosterXml(*instance, r.roster, meta))) {
      err << "error: cannot write " << out_path << "\n";
      return 2;
    }
    out << "roster written to " << out_path << "\n";
  }
  return r.evaluation.feasible() ? 0 : 1;
}

int EvaluateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.size() != 3) { err << "error: evaluate needs INSTANCE_FILE ROSTER.xml\n" << kUsage; return 2; }
  auto instance = LoadInstance(args[1]);
  if (!instance.ok()) { err << "error: " << instance.error().message << "\n"; return 2; }
  std::string xml;
  if (!ReadFile(args[2], xml)) { err << "error: cannot read roster file " << args[2] << "\n"; return 2; }
  auto roster = ParseRosterXml(*instance, xml);
  if (!roster.ok()) { err << "error: " << args[2] << ": " << roster.error().message << "\n"; return 2; }
  Evaluation ev = Evaluate(*instance, *roster);
  out << "instance: " << instance->name << "\n" << FormatEvaluation(*instance, ev);
  return ev.feasible() ? 0 : 1;
}

}  // namespace

int RosterCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) { err << kUsage; return 2; }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") { out << kUsage; return 0; }
  if (args[0] == "solve") return Solve(args, out, err);
  if (args[0] == "evaluate") return EvaluateCommand(args, out, err);
  err << "error: unknown command '" << args[0] << "'\n" << kUsage;
  return 2;
}

}  // namespace openmso::solver
