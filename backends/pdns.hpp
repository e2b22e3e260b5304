// PowerDNS Authoritative HTTP API client (v1), over the transport of backends/http.hpp.
//
// Every failure (refused connection, timeout, 401, 404 where a zone must exist, 409, 422,
// 5xx) is a BackendError carrying PowerDNS's own message, with the API key and any TSIG
// secret we sent replaced by "(secret)": neither ever appears in a message, trace or error.
// A 404 means "absent" only when the server itself answers (a wrong URL path or server_id
// is a BackendError).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "zonegen/finding.hpp"
#include "zonegen/secret.hpp"
#include "zonegen/zone.hpp"

namespace zonegen {

struct PdnsConfig {
    std::string url;  // http://127.0.0.1:8081 (a path prefix is kept)
    std::string server_id = "localhost";
    SecretString api_key;
    int connect_timeout_s = 5;
    int read_timeout_s = 30;
    // A larger answer is a BackendError, never read whole: 256 MiB holds a zone of a
    // million records in PowerDNS's JSON (about 120 bytes a record) twice over.
    std::size_t max_response_bytes = std::size_t{256} << 20;
    std::function<void(const std::string&)> trace;  // --verbose; never given the key
};

// The API key: from the file when `key_file` is set (opened once with O_NOFOLLOW; refused
// unless it is a regular file of this user or root that group and others cannot read or
// write, as ssh does), else from $PDNS_API_KEY. Throws InputError when there is none.
SecretString read_api_key(const std::string& key_file);
// A secret from a file the operator names (--tsig-secret-file), with the same rules; trailing
// newlines dropped, one line.
SecretString read_secret_file(const std::string& path, const std::string& what);

// The API key is never a TSIG secret: a secret file that holds it (a copy, a hard link)
// would hand it to our secondary and to whoever the TSIG key is shared with (InputError).
void refuse_api_key_as_tsig(const SecretString& secret, const std::string& api_key_file);

class PdnsClient {
  public:
    explicit PdnsClient(PdnsConfig cfg);
    ~PdnsClient();
    PdnsClient(const PdnsClient&) = delete;
    PdnsClient& operator=(const PdnsClient&) = delete;

    const std::string& url() const;
    // A request as --verbose traces it ("PUT http://.../api/v1/servers/localhost/zones/x."):
    // what a plan lists for each step. `rest` below the server: "/zones/" + zone_ref(zone).
    std::string request_line(const std::string& method, const std::string& rest) const;
    static std::string zone_ref(const Name& zone);

    std::optional<nlohmann::json> get_zone(const Name& zone);  // nullopt when absent
    // The zone as PowerDNS answers the POST (the same document a GET would return), or
    // nullopt when the answer is not a zone document (an older or a proxied server).
    std::optional<nlohmann::json> create_zone(const nlohmann::json& body);
    void patch_rrsets(const Name& zone, const nlohmann::json& rrsets);  // one transaction
    void put_zone(const Name& zone, const nlohmann::json& fields);      // kind, masters...
    void delete_zone(const Name& zone);
    void notify(const Name& zone);
    void axfr_retrieve(const Name& zone);
    // Every kind at once (one request): kind -> values.
    std::map<std::string, std::vector<std::string>> get_all_metadata(const Name& zone);
    void put_metadata(const Name& zone, const std::string& kind,
                      const std::vector<std::string>& values);
    // DNSSEC (the cryptokeys API). A key as the list shows it: never its private part.
    struct CryptoKey {
        int id = 0;
        std::string keytype;    // "csk" | "ksk" | "zsk"
        std::string algorithm;  // "ECDSAP256SHA256", "ED25519", "RSASHA256"...
        bool active = false, published = false;
        std::string dnskey;  // "257 3 13 base64"
    };
    std::vector<CryptoKey> get_cryptokeys(const Name& zone);
    // Creates an active, published key; its private part in PowerDNS's answer is wiped unread.
    void create_cryptokey(const Name& zone, const std::string& keytype,
                          const std::string& algorithm);
    void delete_cryptokey(const Name& zone, int id);
    void rectify(const Name& zone);
    // A setting of the server's configuration (GET .../config); nullopt when it has none.
    std::optional<std::string> config_value(const std::string& name);
    // Every setting at once (one GET .../config): name -> value.
    std::map<std::string, std::string> config();
    // A TSIG key (server-wide): its algorithm, and whether its secret equals `secret`,
    // compared here in memory (the live secret goes nowhere else); nullopt when absent.
    struct TsigKeyState {
        std::string algorithm;
        bool same_secret = false;
    };
    std::optional<TsigKeyState> get_tsig_key(const Name& name, const SecretString& secret);
    bool has_tsig_key(const Name& name);  // the key's secret read and wiped, never compared
    // Creates (POST) or, when `exists`, replaces (PUT) the key. The API key itself is refused
    // (InputError).
    void set_tsig_key(const Name& name, const std::string& algorithm, const SecretString& secret,
                      bool exists);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The zone's `account` (the control panel's customer id; "" for none).
std::string zone_account(const nlohmann::json& zone);
// The TSIG keys a Slave zone transfers with (`slave_tsig_key_ids`), as names.
std::vector<Name> zone_slave_tsig_keys(const nlohmann::json& zone);

// A PowerDNS zone document's rrsets as a Zone (contents parsed with the same parser as
// every other source, so the diff compares like with like). Records PowerDNS has disabled
// are left out. Unparsable content becomes a finding.
Zone zone_from_pdns(const Name& origin, const nlohmann::json& zone, std::vector<Finding>* findings);

// The PATCH body's rrsets for a list of (owner, type, ttl, rdata) states; empty rdata
// means DELETE.
struct RRsetWrite {
    Name owner;
    RRType type;
    std::uint32_t ttl;
    std::vector<std::string> rdata;  // canonical wire; empty: delete the rrset
};
nlohmann::json pdns_patch_rrsets(const std::vector<RRsetWrite>& writes);

}  // namespace zonegen
