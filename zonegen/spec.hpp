// The customer spec (contract.md): one document per customer domain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zonegen/address.hpp"
#include "zonegen/finding.hpp"
#include "zonegen/name.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/rdata.hpp"

namespace zonegen {

enum class Pattern { A, B, C };
enum class Registrar { transfer, customer };

const char* to_string(Pattern p);
const char* to_string(Registrar r);

struct TsigRef {
    Name name;  // default: xfr.<domain> (tenancy.hpp)
    std::string algorithm;
    std::string secret_file;  // the secret itself never appears in the spec
};

// A DKIM key the zone publishes at <selector>._domainkey.<domain> (dkim.hpp). The spec names
// the private key's file; `record` (the public "v=DKIM1; k=...; p=...") is filled in by
// read_dkim_keys (spec_paths.hpp) before the zone is built, and the selector there too when
// the spec leaves it to the profile's mail.dkim_selector.
struct DkimKey {
    std::string selector;  // "" until read_dkim_keys gives the profile's
    std::string key_file;  // a secret file, located like tsig.secret_file
    std::string record;
    int line = 0;
};

// The key's public record; std::logic_error when read_dkim_keys has not read it.
const std::string& dkim_record(const DkimKey& k);

struct ExtraRecord {
    Name owner;
    RRType type = 0;
    std::optional<std::uint32_t> ttl;
    std::string rdata;  // canonical
    int line = 0;
};

struct Spec {
    std::string source;  // file name or "-"
    Name domain;         // A-labels, lower case
    Pattern pattern = Pattern::A;
    Registrar registrar = Registrar::transfer;
    HostAddrs server;
    bool web = true, mail = true;
    // `mail: none` (mail not a service): the domain receives no mail, so the zone (B, C: the
    // records for the customer's zone) gets the RFC 7505 null MX and "v=spf1 -all". Never a
    // default: a web-only pattern-A spec must say where mail goes (an MX in records: or
    // import_from) or say this.
    bool mail_none = false;
    std::vector<Endpoint> customer_primary;
    std::vector<HostAddrs> customer_nameservers;
    std::optional<TsigRef> tsig;
    // dkim: one key, or a list of them while a new key is published beside the old one (a
    // rotation); dkim_retired: selectors zonegen still manages and so deletes (plan, apply).
    std::vector<DkimKey> dkim;
    std::vector<std::string> dkim_retired;
    std::optional<std::uint32_t> ttl;
    // The zone served today is DNSSEC-signed (the parent has a DS), and that DS's TTL at the
    // parent when known: the instructions remove the DS before the name servers change.
    // dnssec: sign the zone on our servers (pattern A); unset: the profile's dnssec.default.
    std::optional<bool> dnssec;
    // dnssec_move: multi-signer (RFC 8901 model 2): the old provider and our servers both sign
    // for the move, each publishing the other's keys. old_dnskeys: the old provider's DNSKEYs
    // (wire), published in our zone until the move is over (then left out: retired). Our key
    // takes their algorithm. Otherwise (the default, "insecure"): the old DS goes first.
    bool multi_signer = false;
    std::vector<std::string> old_dnskeys;
    bool old_zone_signed = false;
    std::optional<std::uint32_t> old_ds_ttl;
    std::vector<ExtraRecord> records;
    // Migration: the zone to start from (a zone file, pdns:ZONE, axfr://HOST[:PORT]/ZONE),
    // as written: a file is read under the profile's import_dirs (spec_paths.hpp). Pattern A:
    // the zone moved to our servers; B and C: the zone the customer serves today, which
    // `generate` prints with our changes applied (customer_zone.hpp).
    std::string import_from;
    // An MX whose targets are outside the domain (a mail service elsewhere) is replaced only
    // with this (and mail in services); else it is the error mx-external.
    bool replace_external_mx = false;
    // The spec file's directory ("" for standard input): where the files it names resolve
    // when the profile sets no secrets_dir or import_dirs (spec_paths.hpp).
    std::string dir;
    std::vector<Finding> warnings;  // remarks about the spec that do not stop generation
    // Tenancy (zonegen/tenancy.hpp): the control panel's customer id, kept in PowerDNS's
    // zone `account`; and the domain as the spec wrote it, before IDN mapping.
    std::optional<std::string> account;
    std::string domain_written;
};

// Parses a spec document (YAML or JSON). Throws InputError naming the key and line.
Spec parse_spec(const std::string& text, const std::string& source);
// Reads a spec from a file, or from standard input for "-".
Spec load_spec(const std::string& path);

}  // namespace zonegen
