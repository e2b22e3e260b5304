// The provider profile: our name servers, SOA values, TTLs, record templates and the
// migration durations. A default ships in templates/profile.yaml (compiled in);
// `--profile FILE` replaces it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "zonegen/address.hpp"
#include "zonegen/name.hpp"
#include "zonegen/rdata.hpp"
#include "zonegen/time_zone.hpp"

namespace zonegen {

struct ProviderNs : HostAddrs {
    bool primary = false;         // role: primary | secondary
    bool pattern_b = false;       // the secondary that transfers pattern-B zones
    std::uint16_t dns_port = 53;  // where it serves DNS (tests use high ports on loopback)
    std::string api_url;          // PowerDNS API of this server, "" when not managed by API
    std::string server_id = "localhost";
    // "ADDR" or "ADDR:PORT" / "[V6]:PORT" for each address, as PowerDNS wants them.
    std::vector<std::string> endpoints() const;
    // The address zonegen asks it at (a SOA query, a wait for a transfer): its first IPv4
    // address, else its first IPv6 one. A profile gives every name server an address.
    const std::string& first_address() const;
};

struct RecordTemplate {
    std::string owner;  // relative to the domain ("@", "www", "mail")
    RRType type = 0;
    std::string data;  // rdata with placeholders {ipv4}, {ipv6}, {server}
    std::optional<std::uint32_t> ttl;
    int line = 0;
};

struct Duration {
    int min = 0, max = 0;
    std::string unit;  // business_days | hours | calendar_days
};

// The records that get mail delivered besides MX and SPF (mail_policy.hpp): DMARC, MTA-STS
// with TLS-RPT, RFC 6186 SRV and the client autoconfiguration names. Profile keys under
// `mail:`; CAA is `caa:` beside certificate_authorities.
struct DmarcSettings {
    bool publish = true;
    std::string policy = "none";   // none | quarantine | reject
    std::vector<std::string> rua;  // aggregate report URIs (mailto:)
    // The report domain publishes *._report._dmarc.<it> (RFC 7489 section 7.1): no record per
    // customer domain is needed.
    bool wildcard_authorization = false;
};
struct MtaStsSettings {
    Name policy_host;                // serves https://mta-sts.<domain>/.well-known/mta-sts.txt
    std::string mode = "testing";    // testing | enforce
    std::uint32_t max_age = 604800;  // seconds
    std::vector<std::string>
        certified;                     // names the server has certificates for: {server}, {domain}
    std::vector<std::string> tls_rpt;  // TLS-RPT report URIs (_smtp._tls); empty: none
};
struct AutoconfigSettings {
    std::string host = "mail";       // SRV target, relative to the domain ({server} allowed)
    std::vector<std::string> srv;    // submission | submissions | imaps | pop3s | imap | pop3
    std::vector<std::string> names;  // A/AAAA of the server: autoconfig, autodiscover
};
struct CaaSettings {
    bool publish = true;  // CAA for certificate_authorities unless the customer has a CAA set
    std::string iodef;    // mailto: or https: URI, "" none
};

// DNSSEC of pattern-A zones (dnssec.hpp): the default for specs that do not say, the
// algorithm of a new key, and the denial of existence.
struct DnssecSettings {
    bool sign = false;                          // dnssec.default
    std::string algorithm = "ECDSAP256SHA256";  // dnssec.algorithm: or ED25519
    bool nsec3 = true;                          // dnssec.denial: nsec3 (RFC 9276) | nsec
};

struct Profile {
    std::string name;
    std::string source;  // file name, or "built-in"
    std::vector<ProviderNs> nameservers;
    Name soa_mname, soa_rname;
    std::uint32_t refresh = 14400, retry = 3600, expire = 1209600, minimum = 3600;
    std::uint32_t ttl_default = 3600, ttl_ns = 86400, ttl_soa = 3600;
    std::vector<RecordTemplate> web, mail;
    std::string spf_all = "~all";  // the qualifier of the SPF record zonegen composes
    DmarcSettings dmarc;
    std::optional<MtaStsSettings> mta_sts;
    AutoconfigSettings autoconfig;
    CaaSettings caa;
    DnssecSettings dnssec;
    std::string dkim_selector;  // mail.dkim_selector: a spec's dkim: key without selector
    // The certificate authorities the managed server's certificates come from, as CAA names
    // them (issuer domain names, RFC 8659 section 4.2); a CAA set that does not permit one of
    // them is an error (validators/caa.hpp). Empty: no CAA check.
    std::vector<std::string> certificate_authorities = {"letsencrypt.org"};
    std::string test_domain_suffix;
    std::vector<std::string> transferable_tlds;
    std::map<std::string, Duration> durations;
    std::vector<std::string> closed_days;  // "MM-DD" or "MM-DD..MM-DD"
    // Where the provider works: the SOA serial's date and the default start day are its days.
    std::string time_zone = kDefaultTimeZone;
    int parallel_min_days = 14;
    // Runs of this many days without a business day (Golden Week...) flag the steps they cross.
    int holiday_run_days = 3;
    // The catalog zone (RFC 9432) our PowerDNS primary produces: every pattern-A zone is a
    // member, and the secondaries that consume it serve the members without any per-zone
    // configuration (pdns_catalog.hpp). Its transfers are limited to our secondaries and,
    // with catalog.tsig_key, to that TSIG key (a key on the primary, by name only).
    std::optional<Name> catalog;
    std::optional<Name> catalog_tsig_key;
    // PowerDNS
    std::string pdns_url;
    std::string pdns_server_id = "localhost";
    // pdns.transfer_settings: "zone" (default) writes each zone's ALLOW-AXFR-FROM and
    // ALSO-NOTIFY metadata; "server" (the lean mode) leaves them to the primary's own
    // allow-axfr-ips and also-notify, checked once per run (pdns_transfers.hpp): a new zone is
    // then one POST, and an unchanged one a single GET.
    bool pdns_server_transfers = false;
    // Safety limits of plan/apply
    double max_change_fraction = 0.30;
    std::size_t safety_min_rrsets = 10;
    bool control_panel = false;  // the control panel's mode (profile key control_panel)
    // Networks a customer may name beyond the public Internet (allowed_customer_networks:
    // canonical CIDRs; see customer_networks.hpp), and the caps on one zone transfer
    // (zone_transfer: max_records, max_bytes, max_seconds).
    std::vector<std::string> allowed_customer_networks;
    std::size_t max_transfer_records = 200000;
    std::size_t max_transfer_bytes = 64u << 20;
    int max_transfer_seconds = 10;
    // Where files a spec names may be (spec_paths.hpp): tsig.secret_file under secrets_dir,
    // an import_from file under one of import_dirs. Absolute; unset: the spec's directory.
    std::string secrets_dir;
    std::vector<std::string> import_dirs;
    // Where the provider's own customer texts are (wording.hpp): files named like those of
    // templates/ that replace the built-in ones. Absolute; "" the built-in texts only.
    std::string texts_dir;
    // The journal of changes (journal.hpp): its file (absolute; "" none, unless --journal
    // names one) and the group that shares it (new files 0660 and this group; "" 0600).
    std::string journal;
    std::string journal_group;
    // The parent zones' servers plan and apply ask how a domain is delegated before a zone is
    // created or deleted (domain_control.hpp; --parent-server overrides). Empty: the parent
    // zone's servers are found through the system resolver.
    std::vector<Endpoint> parent_servers;

    const ProviderNs& primary() const;
    const ProviderNs& pattern_b_secondary() const;
    bool is_ours(const Name& n) const;
};

// Parses a profile document (YAML or JSON). Throws InputError naming the key and line.
Profile parse_profile(const std::string& text, const std::string& source);
// The profile of --profile FILE, or the built-in default when `path` is empty.
Profile load_profile(const std::string& path);
// The text of the built-in default profile.
const std::string& default_profile_text();

}  // namespace zonegen
