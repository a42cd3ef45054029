// Runs the roster solver on the Curtois & Qu instances and prints a markdown table
// (objective, best-known upper bound, gap, time to best, feasibility), optionally as JSON.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "solver/solver.h"

namespace {

constexpr const char* kUsage =
    "usage: roster_bench [--dir DIR] [--instances Instance1,Instance2,...] [--time-limit S]\n"
    "                    [--threads N] [--seed S] [--json FILE]\n"
    "Runs each instance (default all 24) with the given limit (default 60 s wall clock per\n"
    "instance), 1 thread and seed 1 unless told otherwise.\n";

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

std::map<std::string, long> ReadBestKnown(const std::string& path) {
  std::map<std::string, long> best;
  std::ifstream f(path);
  std::string line;
  while (std::getline(f, line)) {
    auto fields = SplitComma(line);
    if (fields.size() < 2 || fields[0] == "instance") continue;
    try {
      best[fields[0]] = std::stol(fields[1]);
    } catch (...) {
    }
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = OPENMSO_NRP_DIR;
  std::string json_path;
  std::vector<std::string> names;
  openmso::solver::SolveOptions opt;
  opt.time_limit_seconds = 60;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "missing value for " << a << "\n" << kUsage;
        std::exit(2);
      }
      return argv[++i];
    };
    try {
      if (a == "--dir") dir = next();
      else if (a == "--instances") names = SplitComma(next());
      else if (a == "--time-limit") opt.time_limit_seconds = std::stod(next());
      else if (a == "--threads") opt.threads = std::stoi(next());
      else if (a == "--seed") opt.seed = std::stoull(next());
      else if (a == "--json") json_path = next();
      else if (a == "--help" || a == "-h") { std::cout << kUsage; return 0; }
      else { std::cerr << "unknown argument " << a << "\n" << kUsage; return 2; }
    } catch (const std::exception&) {
      std::cerr << "bad value for " << a << "\n" << kUsage;
      return 2;
    }
  }
  if (names.empty())
    for (int k = 1; k <= 24; ++k) names.push_back("Instance" + std::to_string(k));
  auto best_known = ReadBestKnown(dir + "/best_known.csv");

  struct Row { std::string name; long objective; long ub; double gap; double ttb; bool feasible; long lb; bool proven; };
  std::vector<Row> rows;
  std::printf("| instance | objective | best known UB | gap %% | time to best (s) | feasible | our LB | proven optimal |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: | --- | ---: | --- |\n");
  std::fflush(stdout);
  int failures = 0;
  for (const std::string& name : names) {
    auto instance = openmso::solver::LoadInstance(dir + "/" + name + ".txt");
    if (!instance.ok()) {
      std::cerr << instance.error().message << "\n";
      ++failures;
      continue;
    }
    auto r = openmso::solver::Solve(*instance, opt);
    Row row{name, static_cast<long>(r.evaluation.objective), -1, 0, r.seconds_to_best, r.evaluation.feasible(),
            static_cast<long>(r.lower_bound), r.proven_optimal()};
    auto it = best_known.find(name);
    if (it != best_known.end()) {
      row.ub = it->second;
      row.gap = 100.0 * (row.objective - row.ub) / static_cast<double>(row.ub);
    }
    rows.push_back(row);
    char ub[32] = "-", gap[32] = "-";
    if (row.ub >= 0) {
      std::snprintf(ub, sizeof ub, "%ld", row.ub);
      std::snprintf(gap, sizeof gap, "%.2f", row.gap);
    }
    char lb[32] = "-";
    if (row.lb >= 0) std::snprintf(lb, sizeof lb, "%ld", row.lb);
    std::printf("| %s | %ld | %s | %s | %.1f | %s | %s | %s |\n", name.c_str(), row.objective, ub, gap, row.ttb,
                row.feasible ? "yes" : "no", lb, row.proven ? "yes" : "no");
    std::fflush(stdout);
  }
  // Average gap over Instances 1-20 (the target) when they were all run.
  double sum = 0;
  int n = 0, feasible = 0, proven = 0;
  for (const Row& row : rows) {
    feasible += row.feasible;
    proven += row.proven;
    int k = std::atoi(row.name.c_str() + std::string("Instance").size());
    if (row.name.rfind("Instance", 0) == 0 && k >= 1 && k <= 20 && row.ub > 0) {
      sum += row.gap;
      ++n;
    }
  }
  std::printf("\nfeasible: %d/%zu; proven optimal: %d; mean gap over the Instances 1-20 run: %.2f %% (%d instances); "
              "time limit %.1f s, threads %d, seed %llu\n",
              feasible, rows.size(), proven, n ? sum / n : 0.0, n, opt.time_limit_seconds, opt.threads,
              static_cast<unsigned long long>(opt.seed));
  if (!json_path.empty()) {
    std::ofstream f(json_path);
    f << "[\n";
    bool first = true;
    auto emit = [&](const std::string& figure, double value, const std::string& unit) {
      f << (first ? "" : ",\n") << "  {\"figure\": \"" << figure << "\", \"value\": " << value
        << ", \"unit\": \"" << unit << "\"}";
      first = false;
    };
    for (const Row& row : rows) {
      emit("roster." + row.name + ".objective", static_cast<double>(row.objective), "cost");
      if (row.ub >= 0) emit("roster." + row.name + ".gap", row.gap, "%");
      emit("roster." + row.name + ".time_to_best", row.ttb, "s");
      emit("roster." + row.name + ".feasible", row.feasible ? 1 : 0, "bool");
      emit("roster." + row.name + ".proven_optimal", row.proven ? 1 : 0, "bool");
    }
    emit("roster.feasible_instances", feasible, "count");
    if (n) emit("roster.mean_gap_instances_1_20", sum / n, "%");
    f << "\n]\n";
    if (!f) {
      std::cerr << "cannot write " << json_path << "\n";
      return 2;
    }
  }
  return failures ? 1 : 0;
}
