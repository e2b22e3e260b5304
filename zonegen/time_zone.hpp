// Time zones by IANA name (Asia/Tokyo), from the system's tz database: the provider's dates
// (the SOA serial's YYYYMMDD, the migration's start day) are days where the provider works.
#pragma once

#include <ctime>
#include <string>

namespace zonegen {

inline const std::string kDefaultTimeZone = "Asia/Tokyo";

// Whether `name` is a zone of the tz database (TZDIR, else /usr/share/zoneinfo). Without the
// database (no tzdata package), Asia/Tokyo and UTC are still known: neither has summer time.
bool time_zone_known(const std::string& name);

// Makes `name` the zone local_time() converts to; throws std::invalid_argument for an unknown
// zone. It changes the process's TZ: call it before starting threads (the profile reader does)
// so that later conversions to the same zone leave the environment alone.
void use_time_zone(const std::string& name);

// The zone of the last use_time_zone() (the loaded profile's), else kDefaultTimeZone.
std::string time_zone_in_use();

// `t` as the civil time in zone `name` (use_time_zone, then localtime_r).
std::tm local_time(std::time_t t, const std::string& name);

}  // namespace zonegen
