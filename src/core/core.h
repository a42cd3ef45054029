// The public header of src/core: the vocabulary every module speaks (Result/Error,
// Money in cents, typed ids, instants and zoned local times, geo points, Clock).
#pragma once

#include "core/geo.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/money.h"
#include "core/result.h"
#include "core/time.h"
