#pragma once
namespace zonegen {
inline constexpr const char* kVersion = "0.1.0";
}
