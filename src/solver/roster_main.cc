// The standalone `openmso-roster` executable: the `openmso roster` command without the
// rest of the application, for running the solver before (or without) the app binary.
#include <iostream>
#include <string>
#include <vector>

#include "solver/solver.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return openmso::solver::RosterCommand(args, std::cout, std::cerr);
}
