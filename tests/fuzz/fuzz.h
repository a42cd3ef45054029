// The libFuzzer entry point every target in tests/fuzz defines. Built two ways: with
// -fsanitize=fuzzer (OPENMSO_FUZZ=ON, clang) for fuzzing, and linked with replay_main.cc
// as a plain program that feeds it the seed corpus (every build, under ctest).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

// A property that must hold for every input; a violation aborts, which the fuzzer and
// the replay runner both report as a failure.
#define FUZZ_CHECK(cond)                                                              \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                   \
    }                                                                                 \
  } while (0)
