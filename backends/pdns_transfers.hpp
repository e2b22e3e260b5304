// The transfer settings of our PowerDNS primary in the lean mode (profile
// pdns.transfer_settings: server): the server's own configuration, not per-zone metadata,
// lets our secondaries transfer every zone and notifies them.
#pragma once

#include "zonegen/profile.hpp"

namespace zonegen {

class PdnsClient;

// The primary's configuration must let every secondary of ours transfer (allow-axfr-ips
// covers each of its addresses) and be notified (also-notify lists each of its endpoints),
// or a zone made in this mode would never reach them. Asked once per process and server;
// UnsafeError naming what is missing, before anything is written.
void require_server_transfer_settings(PdnsClient& client, const Profile& profile);

}  // namespace zonegen
