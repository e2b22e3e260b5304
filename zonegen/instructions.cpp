#include "zonegen/instructions.hpp"
#include "zonegen/text.hpp"

#include <nlohmann/json.hpp>

#include "zonegen/customer_zone.hpp"
#include "zonegen/domain.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/schedule.hpp"

namespace zonegen {
namespace {

const char* const kGtlds[] = {"com", "net", "org", "info", "biz", "mobi"};

Duration duration_of(const Profile& p, const std::string& key, Duration fallback) {
    auto it = p.durations.find(key);
    return it == p.durations.end() ? fallback : it->second;
}

struct Builder {
    const Spec& spec;
    const Profile& profile;
    bool ja;
    BusinessCalendar cal;
    Instructions out;

    std::string L(const std::string& j, const std::string& e) const { return ja ? j : e; }
    std::string dom() const {
        return out.domain_unicode.empty() ? bare(spec.domain) : out.domain_unicode;
    }

    // A step with its stable id, the guide's label ("" for a step zonegen adds), its
    // earliest and latest dates.
    void step(const std::string& id, const std::string& label, bool provider,
              const std::string& title, const std::string& detail, std::optional<Duration> d,
              const Span& when) {
        Step s;
        s.n = static_cast<int>(out.steps.size()) + 1;
        s.id = id;
        s.guide_step = label;
        s.provider = provider;
        s.title = title;
        s.detail = detail;
        s.duration = d;
        s.date = when.lo;
        s.date_latest = when.hi;
        out.steps.push_back(s);
    }

    // What moves to the managed server, in words: web and mail, web only, or mail only. A
    // web-only customer gets no mail step (its mail stays where it is, or it receives none).
    std::string services_ja(const std::string& sep) const {
        return spec.web && spec.mail ? "Web" + sep + "メール" : spec.web ? "Web" : "メール";
    }
    std::string services_en() const {
        return spec.web && spec.mail ? "web and mail" : spec.web ? "web" : "mail";
    }
    // Who still reaches the old server during the parallel period, and what the customer does.
    std::string parallel_text() const {
        return L(
            "旧サーバとマネージドサーバを並行して運用してください（1～2週間）。ネームサーバを"
            "切り替えた後も、リゾルバのキャッシュ（親ゾーンのNSのTTLは1～2日が一般的です）や"
            "旧ゾーンのレコードのTTLが切れるまで、一部の" +
                std::string(spec.web && spec.mail ? "メールやアクセス"
                            : spec.web            ? "アクセス"
                                                  : "メール") +
                "は旧サーバに届きます。" +
                (spec.mail ? "メールソフトは両方のサーバからメールを受信してください。" : ""),
            "Run the old server and the managed server side by side (1-2 weeks). After the "
            "name servers change, resolvers keep the old answers until the cached delegation "
            "(the parent's NS TTL, often 1-2 days) and the old records' TTLs expire, so "
            "some " +
                std::string(spec.web && spec.mail ? "mail and visitors"
                            : spec.web            ? "visitors"
                                                  : "mail") +
                " still reach the old server" +
                (spec.mail ? "; fetch mail from both servers." : "."));
    }
    // The condition for cancelling the old server: nothing reaches it any more.
    std::string quiet_ja() const {
        return spec.web && spec.mail
                   ? "旧サーバにメールが届かなくなったこと（アクセスがなくなったこと）"
               : spec.web ? "旧サーバへのアクセスがなくなったこと"
                          : "旧サーバにメールが届かなくなったこと";
    }
    std::string quiet_en() const {
        return spec.web && spec.mail ? "no more mail arrives there (no more visitors reach it)"
               : spec.web            ? "no more visitors reach it"
                                     : "no more mail arrives there";
    }
    // Web only: where mail stays, so the customer is not left wondering.
    std::string mail_stays() const {
        if (spec.mail_none)
            return L(
                "このドメインは、メールを受け取らない設定（ヌルMX）になります。このドメインあ"
                "てのメールは、すべて送信者に返送されます。" +
                    dom() +
                    " のメールアドレスをお使いの場合は、お申し込みの前に当社までご相談くださ"
                    "い。" +
                    (spec.pattern == Pattern::A
                         ? ""
                         : "お客さまのゾーンのMXレコードは、下記のヌルMXだけに置き換えてく"
                           "ださい。"),
                "The domain is set to receive no mail (a null MX): mail sent to it is "
                "returned to the sender. If you use any address at " +
                    dom() + ", contact us before applying." +
                    (spec.pattern == Pattern::A
                         ? ""
                         : " In your zone, replace every MX record with the null MX below."));
        if (spec.pattern == Pattern::A)
            return L(
                "メールは、現在ご利用のメールサービスのまま変わりません。当社DNSには、そのメ"
                "ールサービスのMXレコードを設定します。メールアカウントの登録やメールソフト"
                "の設定変更は不要です。",
                "Mail stays with your current mail service: our name servers publish its MX "
                "records. There are no mail accounts to register and nothing to change in "
                "your mail software.");
        return L(
            "メールは、現在ご利用のメールサービスのまま変わりません。お客さまのゾーンのMXレコ"
            "ードなど、メールのレコードは変更しないでください。",
            "Mail stays with your current mail service: leave the MX and the other mail "
            "records of your zone as they are.");
    }

    // The customer applies for the DNS setup in the control panel (A and B).
    void dns_application(const std::string& id, const std::string& label,
                         const std::string& pattern_ja, const std::string& pattern_en,
                         const std::string& server, const Span& when) {
        step(id, label, false, L("DNS設定のお申し込み", "Apply for the DNS setup"),
             L("コントロールパネルから「DNS設定」をお申し込みください。DNSサーバ設定パターンは「" +
                   pattern_ja + "」、" + services_ja("と") + "のサーバは " + server +
                   " です。設定日は翌営業日以降の日付を指定できます。",
               "In the control panel, apply for the DNS setup: DNS pattern \"" + pattern_en +
                   "\", " + services_en() + " on " + server +
                   ". You can request any date from the next business day."),
             lead, when);
    }

    // B and C: how the customer's zone changes, in words (customer_zone.hpp): the listed
    // changes with import_from, else what to replace and delete around the records below.
    std::string records_directions() const {
        if (out.migration && out.migration->customer_zone)
            return "\n" +
                   L("下記「お客さまのゾーンで変更するレコード」のとおり、レコードを追加・変更"
                     "・削除してください（" +
                         std::to_string(out.migration->customer_changes.size()) + "件）。",
                     "Add, replace and delete records exactly as listed below (" +
                         std::to_string(out.migration->customer_changes.size()) + " changes).");
        std::string s = "\n" + L("レコードは追加するだけでなく、次のとおり置き換えてください。",
                                 "Replace records, do not only add them:");
        for (const auto& line : fragment_directions(spec, profile, ja ? "ja" : "en"))
            s += "\n- " + line;
        return s;
    }

    std::string ns_list() const {
        std::vector<std::string> v;
        for (const auto& ns : out.nameservers) v.push_back(bare(ns.name));
        return join(v, ", ");
    }

    std::string glue_lines() const {
        std::string s;
        for (const auto& ns : out.nameservers) {
            if (!ns.name.is_subdomain_of(spec.domain)) continue;
            std::vector<std::string> a = ns.ipv4;
            a.insert(a.end(), ns.ipv6.begin(), ns.ipv6.end());
            s += "\n  " + bare(ns.name) + " (" + L("グルーレコード: ", "glue: ") + join(a, ", ") +
                 ")";
        }
        return s;
    }

    bool transfer_reg() const { return spec.registrar == Registrar::transfer; }
    bool signed_old_zone() const {
        return spec.old_zone_signed || (out.migration && out.migration->dnssec);
    }

    // Procedures 1 and 2: the registrar change, up to the transfer-complete notice.
    Span transfer_steps(const Span& start, bool gtld, const std::string& tld) {
        step("registrar_contact", "0", false,
             L("現在の管理事業者への事前確認", "Before applying: contact the current registrar"),
             L("現在 " + dom() +
                   " を管理している事業者に連絡し、指定事業者・レジストラ変更に必要な手続きを確"
                   "認して、承認が速やかに行えるよう準備してください。移管は現在の事業者（または"
                   "お客さま）の承認がないと完了しません。",
               "Contact the registrar that manages " + dom() +
                   " now, learn what it needs for the transfer, and arrange a prompt approval: "
                   "the transfer completes only when the current registrar (or you) approves "
                   "it.") +
                 (gtld ? L("\n." + tld +
                               " ドメインの移管には "
                               "AuthCode（認証コード）が必要です。現在の事業者から取得し、控えて"
                               "おいてください。",
                           "\nA ." + tld +
                               " transfer needs the AuthCode: get it from the current registrar "
                               "and keep it at hand.")
                       : "") +
                 L("\n登録者の住所とメールアドレスが実在し、確認できる状態か確かめてください。確"
                   "認できない場合、移管後にドメイン名が使用できなくなります。",
                   "\nMake sure the registrant's postal address and e-mail address are real and "
                   "can be verified: if they cannot, the domain becomes unusable after the "
                   "transfer."),
             std::nullopt, start);
        step("transfer_application", "1", false,
             L("指定事業者・レジストラ変更のお申し込み", "Apply for the registrar change"),
             L("コントロールパネルから、" + dom() +
                   " の「指定事業者・レジストラ変更」をお申し込みください（初期料金 "
                   "2,000円、維持管理 月額500円、いずれも税別）。",
               "In the control panel, apply for the registrar change of " + dom() +
                   " (2,000 yen initial fee and 500 yen per month, tax excluded)."),
             std::nullopt, start);
        step("transfer_filing", "2", true,
             L("レジストラへの移管申請", "The transfer is filed with the registrar"),
             L("お申し込みに基づき、当社からレジストラへ移管を申請します。",
               "We file the transfer with the registrar.") +
                 (gtld ? L("\nレジストラから英文の確認メールが登録者あてに届きます。迷惑メール"
                           "と間違えて削除せず、記載の手順で承認してください。",
                           "\nThe registrar sends the registrant a confirmation e-mail in "
                           "English: it is easy to mistake for spam — do not delete it, and "
                           "approve the transfer as it asks.")
                       : L("\n現在の事業者から承認の依頼が届いた場合は、速やかに承認してくださ"
                           "い。",
                           "\nIf the current registrar asks for your approval, give it "
                           "promptly.")),
             transfer, start);
        Span done = later(cal, start, transfer);
        step("transfer_complete", "3", true,
             L("指定事業者/レジストラ変更完了通知", "Transfer-complete notice"),
             L("移管が完了すると、当社から「指定事業者/"
               "レジストラ変更完了通知」メールをお送りします（お申し込みから概ね" +
                   std::to_string(notice.max) + "営業日、現在の事業者によっては最長" +
                   std::to_string(transfer.max) + "営業日程度）。",
               "When the transfer completes we send the transfer-complete notice by e-mail "
               "(about " +
                   std::to_string(notice.max) + " business days after the application, up to " +
                   std::to_string(transfer.max) + " depending on the current registrar)."),
             std::nullopt, done);
        return done;
    }

    // A signed old zone: its DS leaves the parent before the name servers change, removed by
    // whoever holds the registration then (procedures 1, 2: we, once the transfer is done;
    // 3, 4: the customer, at its registrar). Returns the earliest dates of the switch.
    Span ds_remove_step(const Span& when) {
        const bool ours = transfer_reg();
        Span clear = ds_cleared(cal, when, spec.old_ds_ttl, ds_wait);
        const int wait = days_between(when.lo, clear.lo);
        const std::string days = std::to_string(wait);
        const Span first = on_business_days(cal, clear);
        const std::string after = format_date_range(first.lo, first.hi, ja);
        const std::string ttl = spec.old_ds_ttl ? std::to_string(*spec.old_ds_ttl) : "";
        step("ds_remove", "", ours,
             L("DSレコードの削除（DNSSEC）", "Remove the DS record (DNSSEC)"),
             L("旧ゾーンは DNSSEC で署名されています。", "The old zone is signed with DNSSEC. ") +
                 (ours ? L("移管が完了して当社がドメインを管理するようになった時点で、当社が"
                           "親ゾーンの DS レコードを削除します。",
                           "Once the transfer is complete we hold the registration, and we "
                           "remove the DS record from the parent zone.")
                       : L("ネームサーバを切り替える前に、現在のドメイン管理事業者に依頼して DS "
                           "レコードをすべて削除してください。",
                           "Before the name servers change, ask your registrar to remove every "
                           "DS record of the domain.")) +
                 L("\nDS の削除後、少なくとも" + days + "日（" +
                       (ttl.empty() ? "DS の TTL が分からないため当社の最低待ち時間です。TTL "
                                      "がこれより長い場合はその分延ばしてください"
                                    : "DS の TTL " + ttl +
                                          "秒と、削除が親ゾーンに反映されるまで"
                                          "の時間を見込んでいます") +
                       "）待ってから、ネームサーバを切り替えます。最も早い切り替え日は " + after +
                       " で、下記の日付はこの待ち時間を含んでいます。DS "
                       "が残ったまま切り替えると、検証を行うリゾルバからドメイン全体が見えなくな"
                       "ります（鍵を引き継ぐ方法もあります）。",
                   "\nAfter the removal, the name servers change only when at least " + days +
                       " days have passed (" +
                       (ttl.empty() ? "our minimum wait, as the DS TTL is not known: wait longer "
                                      "if the TTL is longer"
                                    : "allowing for the DS TTL of " + ttl +
                                          " s and the time the removal takes to reach the parent "
                                          "zone") +
                       "). The earliest switch is " + after +
                       "; the dates below include this wait. Switching with the DS still in "
                       "place makes the whole domain fail for validating resolvers (or carry the "
                       "keys over instead)."),
             Duration{wait, wait, "calendar_days"}, when);
        ds_step = out.steps.back().n;
        return clear;
    }

    // The name-server change no sooner than `earliest` nor than the DS allows.
    Span switch_dates(const Span& earliest, const std::optional<Span>& ds_clear) const {
        return ds_clear ? on_business_days(cal, latest_of(earliest, *ds_clear)) : earliest;
    }
    std::string after_ds(bool provider) const {
        if (!ds_step) return "";
        const std::string n = std::to_string(ds_step);
        return provider
                   ? L("\nDS レコードの削除（手順 " + n + "）後の待ち時間が過ぎてから行います。",
                       "\nWe do this only once the wait after the DS removal (step " + n +
                           ") is over.")
                   : L("\nDS レコードの削除（手順 " + n +
                           "）後の待ち時間が過ぎてから依頼してください。",
                       "\nDo this only once the wait after the DS removal (step " + n +
                           ") is over.");
    }

    // Procedures 1 and 3: our DNS serves the zone, then the name servers change.
    Span pattern_a_steps(const Span& ready, const std::optional<Span>& ds_clear) {
        const bool t = transfer_reg();
        dns_application("dns_application", t ? "4" : "1",
                        "当社DNS（プライマリ・セカンダリとも当社）",
                        "our DNS (primary and secondary)", bare(spec.server.name), ready);
        Span setup = later(cal, ready, lead);
        step("dns_setup", t ? "5" : "2", true, L("DNS設定", "DNS setup"),
             L("ご指定日に当社DNSサーバへ " + dom() + " のゾーンを設定します。",
               "On the requested date we set up the zone of " + dom() + " on our name servers."),
             std::nullopt, setup);
        Span ns = switch_dates(setup, ds_clear);
        if (t) {
            ns_change(L("ゾーンの設定後、", "Once the zone is set up, "), ns);
            dns_setup_complete("6", ns);
        } else {
            dns_setup_complete("3", setup);
            ns_change(L("DNS設定完了通知の後、", "After the DNS-setup-complete notice, "), ns);
        }
        return ns;
    }

    // The name-server change of A and B once `after` (what it waits for, as the sentence
    // opens): after a transfer we file it with the registrar (procedures 1, 2), else the
    // customer asks its registrar (3, 4). Pattern A's name servers are all ours.
    void ns_change(const std::string& after, const Span& ns) {
        const bool ours = spec.pattern == Pattern::A;
        const std::string to_ja = (ours ? "当社の " : " ") + ns_list();
        const std::string to_en =
            (ours ? "change the name servers to ours: " : "set the name servers to ") + ns_list();
        if (transfer_reg())
            step("ns_change", "5", true, L("WHOIS情報変更（ネームサーバの変更）", "WHOIS update"),
                 L(after + "レジストラのデータベースのネームサーバ情報を" + to_ja +
                       " に更新するよう申請します（反映は48時間以内）。",
                   after + "we ask the registrar to " + to_en + " (applied within 48 hours).") +
                     after_ds(true),
                 ns_update, ns);
        else
            step("ns_change", "4", false,
                 L("WHOIS情報変更（ネームサーバの変更）",
                   "Ask your registrar to change the name servers"),
                 L(after + "ドメイン管理事業者に、ネームサーバを" + to_ja +
                       " に変更するよう依頼してください（依頼文は下記）。",
                   after + "ask your registrar to " + to_en + " (the request is below).") +
                     after_ds(false),
                 ns_update, ns);
    }

    void dns_setup_complete(const std::string& label, const Span& when) {
        step("dns_setup_complete", label, true, L("DNS設定完了通知", "DNS-setup-complete notice"),
             L("設定が完了すると、当社から「DNS設定完了通知」メールをお送りします。",
               "When the setup is complete we send the DNS-setup-complete notice by e-mail."),
             std::nullopt, when);
    }

    // Procedures 2 and 4 with B: the customer's primary serves the zone and our secondary
    // has transferred it before the name servers change. The guide has the primary set up
    // after the change, which leaves our secondary lame in between.
    Span pattern_b_steps(const Span& ready, const std::optional<Span>& ds_clear) {
        const bool t = transfer_reg();
        const std::string sec = bare(profile.pattern_b_secondary().name);
        dns_application("dns_application", t ? "4-1" : "1-1",
                        "プライマリはお客さま、セカンダリは当社", "your primary, our secondary",
                        bare(spec.server.name), ready);
        Span setup = later(cal, ready, lead);
        step("dns_setup", t ? "5" : "2", true, L("セカンダリDNS設定", "Secondary DNS setup"),
             L("ご指定日に当社セカンダリDNS " + sec +
                   " を設定し、お客さまのプライマリDNSからゾーン転送を受けられるようにします。",
               "On the requested date we set up our secondary " + sec +
                   " to transfer the zone from your primary."),
             std::nullopt, setup);
        dns_setup_complete(t ? "6" : "3", setup);
        step("primary_setup", t ? "7" : "5", false, L("プライマリDNS設定", "Set up your primary"),
             L("お客さまのプライマリDNSのゾーンを下記のとおり変更し、当社セカンダリ（" +
                   join(profile.pattern_b_secondary().endpoints(), ", ") +
                   "）からのゾーン転送（AXFR）を許可して、当社セカンダリへNOTIFYを送信する設定をし"
                   "てください（設定例は下記）。",
               "Change the zone on your primary as below, allow our secondary (" +
                   join(profile.pattern_b_secondary().endpoints(), ", ") +
                   ") to transfer it (AXFR), and make your primary send NOTIFY to it (examples "
                   "below).") +
                 records_directions() +
                 L("\n設定が済んだら当社にご連絡ください。ネームサーバの変更は、当社セカンダリへ"
                   "の転送を確認してから行います（ガイドではネームサーバの変更が先ですが、その間"
                   "当社セカンダリがゾーンを持たず応答できなくなるため、順序を入れ替えています）。",
                   "\nTell us when it is done. The name servers change only after we have "
                   "confirmed the transfer to our secondary (the guide changes them first, which "
                   "leaves our secondary without the zone in between, so the order is swapped)."),
             std::nullopt, setup);
        Span check = next_business_days(cal, setup);
        step("transfer_check", "", true,
             L("当社セカンダリへのゾーン転送の確認", "We confirm the transfer to our secondary"),
             L("当社セカンダリ " + sec +
                   " がお客さまのプライマリDNSからゾーンを転送できたこと（SOA "
                   "のシリアルが一致すること）を確認し、結果をお知らせします。転送できていない場合"
                   "は、プライマリDNSの設定（転送の許可、NOTIFY の送信先" +
                   (spec.tsig ? "、TSIG 鍵" : "") + "）を一緒に確認します。",
               "We check that our secondary " + sec +
                   " has transferred the zone from your primary (the SOA serials match) and tell "
                   "you the result. If it has not, we go through your primary's configuration with "
                   "you (the transfer permission, where NOTIFY goes" +
                   (spec.tsig ? ", the TSIG key" : "") + ")."),
             std::nullopt, check);
        Span ns = switch_dates(next_business_days(cal, check), ds_clear);
        ns_change(t ? L("転送を確認できたら、", "Once the transfer is confirmed, ")
                    : L("転送確認のご連絡の後、", "Once we have confirmed the transfer, "),
                  ns);
        return ns;
    }

    // Procedures 2 and 4 with C: the customer's own name servers serve the zone.
    Span pattern_c_steps(const Span& ready, const std::optional<Span>& ds_clear) {
        const bool t = transfer_reg();
        step("dns_change", t ? "4-2" : "1-2", false, L("DNS設定変更作業", "Change your own DNS"),
             L("お客さまのDNSサーバで、" + dom() + " のゾーンを下記のとおり変更してください（" +
                   services_ja("・") + "のサーバは " + bare(spec.server.name) + "）。",
               "On your own name servers, change the zone of " + dom() + " as below (" +
                   services_en() + " on " + bare(spec.server.name) + ").") +
                 records_directions(),
             std::nullopt, ready);
        if (t) {
            Span ns = switch_dates(next_business_days(cal, ready), ds_clear);
            step("ns_change", "5", true, L("DNS設定/WHOIS情報変更", "WHOIS update"),
                 L("レジストラのデータベースのネームサーバ情報を " + ns_list() +
                       " に更新するよう申請します（反映は48時間以内）。",
                   "We ask the registrar to set the name servers to " + ns_list() +
                       " (applied within 48 hours).") +
                     after_ds(true),
                 ns_update, ns);
            return ns;
        }
        Span ns = switch_dates(ready, ds_clear);
        step("ns_change", "4", false,
             L("WHOIS情報変更（ネームサーバの確認）", "Check the name servers at your registrar"),
             L("ドメイン管理事業者に登録されたネームサーバが " + ns_list() +
                   " であることを確認し、異なる場合は変更を依頼してください。",
               "Check that your registrar lists " + ns_list() +
                   " as the name servers, and ask it to change them if not.") +
                 after_ds(false),
             ns_update, ns);
        return ns;
    }

    // The parallel period counts from when the name-server change has taken effect (the
    // registrar's update, up to 48 hours), not from the DNS setup.
    void parallel_and_cancel(const Span& ns) {
        Span effect = later(cal, ns, ns_update);
        const int days = std::max(parallel.max, profile.parallel_min_days);
        Span cancel = plus_days(effect, days);
        step(
            "parallel", std::to_string(par_label()), false, L("並行運用期間", "Parallel operation"),
            parallel_text() +
                L("\n並行運用の期間は、ネームサーバの変更が反映された日（変更の申請から48時間以内、"
                  "予定では " +
                      format_date_range(effect.lo, effect.hi, true) + "）から数えます。",
                  "\nThe period counts from the day the name-server change has taken effect "
                  "(within 48 hours of the request; expected " +
                      format_date_range(effect.lo, effect.hi, false) + ")."),
            parallel, effect);
        step("cancel", std::to_string(par_label() + 1), false,
             L("旧サーバのご解約", "Cancel the old server"),
             L("並行運用期間が終わり、" + quiet_ja() +
                   "を確認してから、旧サーバを解約してください。",
               "Cancel the old server only when the parallel period is over and " + quiet_en() +
                   ".") +
                 L("最短で、ネームサーバの変更が反映された日の" + std::to_string(days) +
                       "日後です（予定では " + format_date_range(cancel.lo, cancel.hi, true) +
                       "）。",
                   " At the earliest " + std::to_string(days) +
                       " days after the name-server change has taken effect (expected " +
                       format_date_range(cancel.lo, cancel.hi, false) + ")."),
             std::nullopt, cancel);
    }

    // A closure or a holiday run inside the window of a step where someone has to act (the
    // parallel period and the cancellation only wait); the name-server change's window runs
    // until the change has taken effect and the parent's NS TTL has passed.
    void flag_closures() {
        for (auto& s : out.steps) {
            if (!s.date || s.id == "parallel" || s.id == "cancel") continue;
            Date end = window_end(cal, {*s.date, *s.date_latest}, s.duration);
            // The switch settles only when resolvers' cached delegations have expired.
            if (s.id == "ns_change") end = later(cal, Span::at(end), ns_cache).hi;
            s.warnings = calendar_warnings(cal, *s.date, end, profile.holiday_run_days, ja);
        }
    }

    void build() {
        const bool b = spec.pattern == Pattern::B, a = spec.pattern == Pattern::A;
        const std::string tld = spec.domain.labels().back();
        bool gtld = false;
        for (auto* g : kGtlds) gtld |= tld == g;

        const Span start = Span::at(cal.on_or_after(out_start));
        Span ready = start;  // the DNS work can begin: the start, or the transfer's completion
        std::optional<Span> ds_clear;
        if (transfer_reg()) ready = transfer_steps(start, gtld, tld);
        if (signed_old_zone()) ds_clear = ds_remove_step(ready);
        Span ns = a   ? pattern_a_steps(ready, ds_clear)
                  : b ? pattern_b_steps(ready, ds_clear)
                      : pattern_c_steps(ready, ds_clear);
        parallel_and_cancel(ns);
        flag_closures();
        registrar_notes(gtld);
        if (b) {
            out.snippets = primary_config(spec, profile, ja);
            out.snippets_additions = primary_config_additions(spec, profile, ja);
        }
        before_switch();
        after_switch();
        provisional_holidays();
    }

    // What the registrar must set, or what the customer should know of the transfer.
    void registrar_notes(bool gtld) {
        if (spec.registrar == Registrar::customer)
            out.registrar_request =
                L(dom() + " のネームサーバを、以下に変更してください。\n  " +
                      join(ns_lines(), "\n  ") + glue_lines() +
                      "\n変更後のネームサーバでは、すでにゾーンが設定済みです。",
                  "Please change the name servers of " + dom() + " to:\n  " +
                      join(ns_lines(), "\n  ") + glue_lines() +
                      "\nThe zone is already served by these name servers.");
        else {
            out.transfer_notes.push_back(
                L("移管完了まで 3営業日+α（現在の事業者によっては1～2週間）かかります。",
                  "The transfer takes 3 business days plus what the losing registrar needs (up to "
                  "1-2 weeks)."));
            if (gtld) {
                out.transfer_notes.push_back(
                    L("AuthCode（認証コード）を現在の事業者から取得してください。",
                      "Get the AuthCode from the current registrar."));
                out.transfer_notes.push_back(L(
                    "レジストラから英文の確認メールが届きます。迷惑メールと間違えないでください。",
                    "The registrar sends an English confirmation e-mail: do not mistake it for "
                    "spam."));
            }
            out.transfer_notes.push_back(
                L("登録者の住所・メールアドレスが確認できない場合、ドメイン名が使用できなくなります"
                  "。",
                  "If the registrant's address or e-mail cannot be verified, the domain becomes "
                  "unusable."));
        }
    }

    // The customer's work before the name servers change.
    void before_switch() {
        const std::string server = bare(spec.server.name);
        const std::string test_domain =
            profile.test_domain_suffix.empty()
                ? ""
                : spec.domain.first_label() + "." + bare(Name::parse(profile.test_domain_suffix));
        out.before_switch = {
            L("コントロールパネルで、サーバの基本設定（ファイアウォール、ディスク容量など）とドメイ"
              "ンの設定を行ってください。",
              "In the control panel, set up the server (firewall, disk) and the domain."),
        };
        if (spec.mail)
            out.before_switch.push_back(L(
                "メールアカウントのユーザIDをすべて登録してください（abc@" + dom() +
                    " のIDは "
                    "abc）。未登録のアカウントあてのメールは、切り替え後に届かなくなります。",
                "Register every mail account's user ID (for abc@" + dom() +
                    " the ID is abc): mail to an unregistered account bounces after the switch."));
        else
            out.before_switch.push_back(mail_stays());
        if (spec.web)
            out.before_switch.push_back(
                L("Webコンテンツを FTP で転送し、テスト用ドメイン" +
                      (test_domain.empty() ? "" : "（" + test_domain + "）") +
                      "で CGI/PHP を含めて動作を確認してください。",
                  "Upload the web content by FTP and check it, CGI/PHP included, on the test "
                  "domain" +
                      (test_domain.empty() ? "" : " (" + test_domain + ")") + "."));
        out.before_switch.insert(
            out.before_switch.end(),
            {
                L("切り替え作業中は、旧サーバには IP アドレスで、新サーバにはサーバ名（" + server +
                      "）でアクセスしてください。",
                  "During the switch, reach the old server by its IP address and the new one by "
                  "its "
                  "server name (" +
                      server + ")."),
                L("並行運用を短くするため、切り替えの少なくとも旧TTL1回分前に、旧ゾーンの " +
                      std::string(spec.mail ? "NS・A・MX" : "NS・A") +
                      " の TTL を 300秒に下げてください。旧事業者が許せば、ネームサーバの切り替え前"
                      "に旧ゾーンの " +
                      services_ja("・") +
                      "のレコードを新サーバに向けてください。親ゾーンのNSのTTLはこちらでは短縮でき"
                      "ず、これが下限になります。",
                  "To shorten the parallel period: lower the old zone's " +
                      std::string(spec.mail ? "NS, A and MX" : "NS and A") +
                      " TTLs to 300 s at least one old TTL before the switch, and, where the old "
                      "provider allows it, point the old zone's " +
                      services_en() +
                      " records at the new server before the NS change. The parent zone's NS TTL "
                      "cannot be shortened and is the floor."),
            });
    }

    void after_switch() {
        out.after_switch = {
            L("切り替え後、下げた TTL を元の値に戻してください。",
              "After the switch, restore the TTLs you lowered."),
        };
        if (spec.mail)
            out.after_switch.push_back(
                L("メールソフトは並行運用期間中、旧サーバと新サーバの両方から受信してください。",
                  "During the parallel period, fetch mail from both the old and the new server."));
        out.after_switch.push_back(
            spec.mail ? L("旧サーバの解約は、並行運用期間が終わり、旧サーバにメールが届かなくなって"
                          "から行ってください。",
                          "Cancel the old server only after the parallel period, once no more "
                          "mail arrives there.")
                      : L("旧サーバの解約は、並行運用期間が終わり、旧サーバへのアクセスがなくなっ"
                          "てから行ってください。",
                          "Cancel the old server only after the parallel period, once no more "
                          "visitors reach it."));
    }

    // The provisional holidays (not yet fixed by law) within the dates of the steps.
    void provisional_holidays() {
        for (const auto& s : out.steps) {
            if (!s.date_latest) continue;
            for (int y = out_start.y; y <= s.date_latest->y; ++y)
                for (const auto& h : japanese_holidays(y))
                    if (h.provisional && h.date >= out_start && h.date <= *s.date_latest) {
                        std::string t = h.date.to_string() + " " + (ja ? h.name_ja : h.name_en);
                        if (std::find(out.holidays_provisional.begin(),
                                      out.holidays_provisional.end(),
                                      t) == out.holidays_provisional.end())
                            out.holidays_provisional.push_back(t);
                    }
        }
    }

    // The guide numbers the parallel period after its last numbered step.
    int par_label() const {
        const bool b = spec.pattern == Pattern::B, a = spec.pattern == Pattern::A;
        const bool t = spec.registrar == Registrar::transfer;
        if (a) return t ? 7 : 5;
        if (b) return t ? 8 : 6;
        return t ? 8 : 6;
    }

    std::vector<std::string> ns_lines() const {
        std::vector<std::string> v;
        for (const auto& ns : out.nameservers) v.push_back(bare(ns.name));
        return v;
    }

    Date out_start;
    // The durations: the profile's, or the guide's values.
    Duration lead = duration_of(profile, "dns_setup_lead", {1, 3, "business_days"});
    Duration transfer = duration_of(profile, "registrar_transfer", {3, 10, "business_days"});
    Duration notice = duration_of(profile, "transfer_notice", {5, 5, "business_days"});
    Duration ns_update = duration_of(profile, "ns_update", {0, 48, "hours"});
    Duration parallel = duration_of(profile, "parallel_operation", {7, 14, "calendar_days"});
    Duration ds_wait = duration_of(profile, "ds_removal_wait", {2, 2, "calendar_days"});
    Duration ns_cache = duration_of(profile, "ns_cache", {1, 2, "calendar_days"});
    int ds_step = 0;  // the number of the DS removal step, 0 without one
};

}  // namespace

Instructions build_instructions(const Spec& spec, const Profile& profile, const std::string& lang,
                                const Date& start, std::optional<std::string> customer_records,
                                std::optional<Migration> migration) {
    if (lang != "ja" && lang != "en") throw UsageError("--lang must be ja or en");
    const std::string tld = spec.domain.labels().back();
    if (spec.registrar == Registrar::transfer &&
        std::find(profile.transferable_tlds.begin(), profile.transferable_tlds.end(), tld) ==
            profile.transferable_tlds.end())
        throw InputError(
            spec.source + ": 'registrar': ." + tld +
            " domains cannot be transferred to us (we can take over " +
            join(profile.transferable_tlds, ", ") +
            "); keep the registration with the current registrar: registrar: customer");
    Builder b{spec, profile, lang == "ja", BusinessCalendar(profile.closed_days), {}, start};
    Instructions& in = b.out;
    in.lang = lang;
    in.domain = spec.domain;
    in.domain_unicode = to_unicode(spec.domain);
    if (in.domain_unicode + "." == spec.domain.to_string()) in.domain_unicode.clear();
    in.pattern = spec.pattern;
    in.registrar = spec.registrar;
    bool a = spec.pattern == Pattern::A, t = spec.registrar == Registrar::transfer;
    in.procedure = a ? (t ? 1 : 3) : (t ? 2 : 4);
    if (a) {
        for (const auto& ns : profile.nameservers) in.nameservers.push_back(ns);
    } else {
        in.nameservers = spec.customer_nameservers;
        if (spec.pattern == Pattern::B) in.nameservers.push_back(profile.pattern_b_secondary());
    }
    for (auto& ns : in.nameservers)
        if (!ns.name.is_subdomain_of(spec.domain)) ns.ipv4.clear(), ns.ipv6.clear();
    in.customer_records = std::move(customer_records);
    in.migration = std::move(migration);
    b.build();
    return in;
}

nlohmann::json instructions_json(const Instructions& in) {
    auto ns = nlohmann::json::array(), glue = nlohmann::json::array();
    for (const auto& n : in.nameservers) {
        ns.push_back(n.name.to_string());
        if (!n.ipv4.empty() || !n.ipv6.empty()) {
            auto addrs = nlohmann::json::array();
            for (const auto& x : n.ipv4) addrs.push_back(x);
            for (const auto& x : n.ipv6) addrs.push_back(x);
            glue.push_back({{"name", n.name.to_string()}, {"addresses", addrs}});
        }
    }
    auto date = [](const std::optional<Date>& d) {
        return d ? nlohmann::json(d->to_string()) : nlohmann::json(nullptr);
    };
    auto steps = nlohmann::json::array();
    for (const auto& s : in.steps) {
        auto warnings = nlohmann::json::array();
        for (const auto& w : s.warnings)
            warnings.push_back({{"kind", w.kind},
                                {"from", w.from.to_string()},
                                {"to", w.to.to_string()},
                                {"message", w.message}});
        steps.push_back({{"n", s.n},
                         {"id", s.id},
                         {"guide_step", s.guide_step.empty() ? nlohmann::json(nullptr)
                                                             : nlohmann::json(s.guide_step)},
                         {"actor", s.provider ? "provider" : "customer"},
                         {"title", s.title},
                         {"detail", s.detail},
                         {"duration", s.duration ? nlohmann::json{{"min", s.duration->min},
                                                                  {"max", s.duration->max},
                                                                  {"unit", s.duration->unit}}
                                                 : nlohmann::json(nullptr)},
                         {"date", date(s.date)},
                         {"date_latest", date(s.date_latest)},
                         {"warnings", warnings}});
    }
    auto snippets = [](const std::vector<Snippet>& v) {
        auto a = nlohmann::json::array();
        for (const auto& sn : v) a.push_back({{"server", sn.server}, {"text", sn.text}});
        return a;
    };
    return {
        {"domain", in.domain.to_string()},
        {"domain_unicode",
         in.domain_unicode.empty() ? nlohmann::json(nullptr) : nlohmann::json(in.domain_unicode)},
        {"lang", in.lang},
        {"dns_pattern", to_string(in.pattern)},
        {"registrar", to_string(in.registrar)},
        {"procedure", in.procedure},
        {"nameservers", ns},
        {"glue", glue},
        {"ds", nlohmann::json::array()},
        {"steps", steps},
        {"registrar_request", in.registrar_request.empty() ? nlohmann::json(nullptr)
                                                           : nlohmann::json(in.registrar_request)},
        {"transfer_notes", in.transfer_notes},
        {"customer_records",
         in.customer_records ? nlohmann::json(*in.customer_records) : nlohmann::json(nullptr)},
        {"primary_config", snippets(in.snippets)},
        {"primary_config_additions", snippets(in.snippets_additions)},
        {"before_switch", in.before_switch},
        {"after_switch", in.after_switch},
        {"provisional_holidays", in.holidays_provisional},
        {"migration", in.migration && !in.migration->customer_zone ? migration_json(*in.migration)
                                                                   : nlohmann::json(nullptr)},
        {"customer_changes", in.migration && in.migration->customer_zone
                                 ? customer_changes_json(in.migration->customer_changes)
                                 : nlohmann::json(nullptr)}};
}

namespace {

// The text (or Markdown) of the instructions, section by section.
struct TextWriter {
    const Instructions& in;
    bool md;
    bool ja = in.lang == "ja";
    std::string out{};

    std::string L(const std::string& j, const std::string& e) const { return ja ? j : e; }
    std::string h1(const std::string& t) const {
        return md ? "# " + t + "\n\n" : t + "\n" + std::string(40, '=') + "\n";
    }
    std::string h2(const std::string& t) const {
        return md ? "\n## " + t + "\n\n" : "\n" + t + "\n" + std::string(40, '-') + "\n";
    }
    std::string unit(const std::string& u) const {
        if (u == "hours") return L("時間", " hours");
        if (u == "calendar_days") return L("日", " days");
        return L("営業日", " business days");
    }
    std::string dur(const Duration& d) const {
        std::string r = d.min == d.max
                            ? std::to_string(d.max)
                            : (d.min == 0 ? L("", "up to ") + std::to_string(d.max) + L("以内", "")
                                          : std::to_string(d.min) + "～" + std::to_string(d.max));
        if (!ja && d.min != d.max && d.min != 0)
            r = std::to_string(d.min) + "-" + std::to_string(d.max);
        if (ja && d.min == 0) return std::to_string(d.max) + unit(d.unit) + L("以内", "");
        return r + unit(d.unit);
    }
    std::string block(const std::string& text) const {
        return (md ? "```\n" : "") + text + (md ? "```\n" : "");
    }

    // The title, the DNS pattern, the registration and the procedure's number.
    void header() {
        std::string dom = in.domain_unicode.empty()
                              ? bare(in.domain)
                              : in.domain_unicode + " (" + bare(in.domain) + ")";
        out += h1(L("サーバ移行の手順: ", "Migration procedure: ") + dom);
        const char* pat_ja[] = {"A（プライマリ・セカンダリとも当社DNS）",
                                "B（プライマリはお客さま、セカンダリは当社DNS）",
                                "C（プライマリ・セカンダリともお客さまのDNS）"};
        const char* pat_en[] = {"A (our DNS: primary and secondary)",
                                "B (your primary, our secondary)",
                                "C (your DNS: primary and secondary)"};
        int pi = static_cast<int>(in.pattern);
        std::string li = md ? "- " : "";
        out += li + L("DNSパターン: ", "DNS pattern: ") + (ja ? pat_ja[pi] : pat_en[pi]) + "\n";
        out += li + L("ドメイン名の維持管理: ", "Registration: ") +
               (in.registrar == Registrar::transfer
                    ? L("当社へ移管", "transferred to us")
                    : L("現在の事業者のまま", "kept with the current registrar")) +
               "\n";
        out += li + L("手順: ", "Procedure: ") + std::to_string(in.procedure) + "\n";
    }

    void nameservers() {
        out += h2(L("設定するネームサーバ", "Name servers to set"));
        for (const auto& n : in.nameservers) {
            out += (md ? "- `" : "  ") + bare(n.name) + (md ? "`" : "");
            std::vector<std::string> a = n.ipv4;
            a.insert(a.end(), n.ipv6.begin(), n.ipv6.end());
            if (!a.empty()) out += L("（グルー: ", " (glue: ") + join(a, ", ") + L("）", ")");
            out += "\n";
        }
        out += L("DS: なし（当社ではゾーンに署名していません）\n",
                 "DS: none (zonegen does not sign zones)\n");
    }

    // A step's detail with its warnings; a run already explained in full is only named.
    std::string step_detail(const Step& s, std::vector<Date>& explained) const {
        std::string detail = s.detail;
        for (const auto& w : s.warnings) {
            bool again = std::find(explained.begin(), explained.end(), w.from) != explained.end();
            if (again && s.id != "ns_change") continue;  // said above; the switch says it again
            std::string run = format_date_range(w.from, w.to, ja);
            bool closure = w.kind == "closure";
            detail +=
                "\n" + L("※ ", "Note: ") +
                (!again ? w.message
                        : L(std::string("この期間も") + (closure ? "当社の休業期間" : "連休") +
                                "（" + run + "）にかかります（上記参照）。",
                            std::string("this period also crosses ") +
                                (closure ? "our closure" : "the run of holidays") + " (" + run +
                                "; see above)."));
            if (!again) explained.push_back(w.from);
        }
        return detail;
    }

    void step(const Step& s, std::vector<Date>& explained) {
        std::string actor = s.provider ? L("当社作業", "provider") : L("お客さま作業", "customer");
        std::string when = s.date ? format_date_range(*s.date, s.date_latest.value_or(*s.date), ja)
                                  : L("未定", "not known yet");
        std::string d = s.duration ? L("、所要 ", ", takes ") + dur(*s.duration) : "";
        if (md)
            out += std::to_string(s.n) + ". **" + s.title + "** — " + actor +
                   (s.guide_step.empty() ? L("、追加手順", ", added step")
                                         : L("、手順 ", ", guide step ") + s.guide_step) +
                   L("、予定日 ", ", expected ") + when + d + "\n";
        else
            out += std::to_string(s.n) + ". [" + actor +
                   (s.guide_step.empty() ? L("・追加手順", ", added step")
                                         : L("・手順 ", ", step ") + s.guide_step) +
                   "] " + s.title + " — " + when + d + "\n";
        std::string detail = step_detail(s, explained);
        std::string indent = md ? "   " : "   ";
        std::size_t i = 0;
        while (i <= detail.size()) {
            std::size_t e = detail.find('\n', i);
            if (e == std::string::npos) e = detail.size();
            out += indent + detail.substr(i, e - i) + "\n";
            i = e + 1;
        }
    }

    void steps() {
        out += h2(L("手順", "Steps"));
        std::vector<Date> explained;  // runs whose warning was given in full already
        for (const auto& s : in.steps) step(s, explained);
        if (!in.holidays_provisional.empty())
            out += L("※ 次の祝日は未発表のため、計算上の日付を使っています: ",
                     "Note: these holidays are not officially announced yet; computed dates are "
                     "used: ") +
                   join(in.holidays_provisional, ", ") + "\n";
    }

    // The registrar's request, the transfer notes, the records and the primary's configuration.
    void documents() {
        if (!in.registrar_request.empty()) {
            out += h2(L("ドメイン管理事業者への依頼文", "Request to send to your registrar"));
            out += (md ? "```\n" : "") + in.registrar_request + "\n" + (md ? "```\n" : "");
        }
        if (!in.transfer_notes.empty()) {
            out += h2(L("移管についての注意", "About the transfer"));
            for (const auto& n : in.transfer_notes) out += (md ? "- " : "  * ") + n + "\n";
        }
        if (in.migration && !in.migration->customer_zone) {
            out += h2(
                L("既存ゾーンからの移行（引き継ぐレコード）", "Migration from the existing zone"));
            out += block(migration_text(*in.migration));
        }
        if (in.customer_records) {
            out += h2(L("お客さまのゾーンで変更するレコード", "Changes to your zone"));
            out += block(*in.customer_records);
        }
        for (const auto& sn : in.snippets) {
            out += h2(L("プライマリDNSの設定例（新しく設定するゾーン）: ",
                        "Primary configuration for a new zone: ") +
                      sn.server);
            out += block(sn.text);
        }
        for (const auto& sn : in.snippets_additions) {
            out += h2(L("プライマリDNSの設定に追加する内容（設定済みのゾーン）: ",
                        "Primary configuration, additions to a zone you already serve: ") +
                      sn.server);
            out += block(sn.text);
        }
    }

    void switch_lists() {
        out += h2(L("切り替え前に", "Before the switch"));
        for (const auto& x : in.before_switch) out += (md ? "- " : "  * ") + x + "\n";
        out += h2(L("切り替え後に", "After the switch"));
        for (const auto& x : in.after_switch) out += (md ? "- " : "  * ") + x + "\n";
    }
};

}  // namespace

std::string instructions_text(const Instructions& in, bool md) {
    TextWriter w{in, md};
    w.header();
    w.nameservers();
    w.steps();
    w.documents();
    w.switch_lists();
    return w.out;
}

}  // namespace zonegen
