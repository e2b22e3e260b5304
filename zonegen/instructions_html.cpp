#include "zonegen/instructions_html.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "zonegen/schedule_chart.hpp"
#include "zonegen/text.hpp"

namespace zonegen {
namespace {

using json = nlohmann::json;

// A multi-line text as blocks: a paragraph per line, and the lines that start with "- "
// gathered into one list.
json blocks(const std::string& text) {
    auto out = json::array();
    std::size_t i = 0;
    while (i <= text.size()) {
        std::size_t e = text.find('\n', i);
        if (e == std::string::npos) e = text.size();
        std::string line = text.substr(i, e - i);
        i = e + 1;
        if (line.empty()) continue;
        if (line.rfind("- ", 0) == 0) {
            if (out.empty() || out.back()["list"].is_null())
                out.push_back({{"p", nullptr}, {"list", {{"items", json::array()}}}});
            out.back()["list"]["items"].push_back(line.substr(2));
        } else {
            out.push_back({{"p", line}, {"list", nullptr}});
        }
    }
    return out;
}

struct View {
    const Instructions& in;
    const Wording& w;
    bool ja = in.lang == "ja";

    std::string say(const std::string& key, const json& ctx = json::object()) const {
        return w.say(key, ctx);
    }
    std::string dom() const {
        return in.domain_unicode.empty() ? bare(in.domain) : in.domain_unicode;
    }

    // The header's facts: the domain (and its ASCII form), the DNS pattern, who keeps the
    // registration, the guide's procedure.
    json facts() const {
        std::string domain = in.domain_unicode.empty()
                                 ? bare(in.domain)
                                 : say("page.domain_with_ascii",
                                       {{"domain", in.domain_unicode}, {"ascii", bare(in.domain)}});
        return json::array(
            {{{"label", say("page.facts.domain")}, {"value", domain}},
             {{"label", say("page.facts.pattern")},
              {"value", say(std::string("pattern.") + to_string(in.pattern))}},
             {{"label", say("page.facts.registration")},
              {"value", say(std::string("registration.") + to_string(in.registrar))}},
             {{"label", say("page.facts.procedure")},
              {"value", say("page.procedure", {{"n", std::to_string(in.procedure)}})}}});
    }

    // A step's warnings: in full at the first step a run concerns; the name-server change
    // names it again (the switch is what it delays); other steps leave it out.
    json warnings(const Step& s, std::vector<Date>& explained) const {
        auto out = json::array();
        for (const auto& wa : s.warnings) {
            bool again = std::find(explained.begin(), explained.end(), wa.from) != explained.end();
            if (again && s.id != "ns_change") continue;
            if (!again) explained.push_back(wa.from);
            out.push_back(again ? say("warnings.again_" + wa.kind,
                                      {{"run", format_date_range(wa.from, wa.to, ja)}})
                                : wa.message);
        }
        return out;
    }

    json step(const Step& s, std::vector<Date>& explained) const {
        const std::string actor = s.provider ? "provider" : "customer";
        json v{{"n", std::to_string(s.n)},
               {"actor", actor},
               {"who", say("page.who." + actor)},
               {"title", s.title},
               {"when", s.date ? format_date_range(*s.date, s.date_latest.value_or(*s.date), ja)
                               : say("text.unknown_date")},
               {"duration",
                shown_duration(s) ? json(duration_text(*shown_duration(s), w)) : json(nullptr)},
               {"starts", s.id == "parallel"},  // a period: its first day, as the text says
               {"guide", s.guide_step.empty() ? say("page.added_step")
                                              : say("page.guide_step", {{"label", s.guide_step}})},
               {"blocks", blocks(s.detail)}};
        json warns = warnings(s, explained);
        v["warnings"] = warns.empty() ? json(nullptr) : warns;
        return v;
    }

    json nameservers() const {
        auto rows = json::array();
        bool glue = false;
        for (const auto& n : in.nameservers) {
            const std::vector<std::string> a = n.addresses();
            glue |= !a.empty();
            rows.push_back({{"name", bare(n.name)}, {"addresses", a}, {"no_glue", a.empty()}});
        }
        return {{"ns_rows", rows}, {"ns_glue", glue}};
    }

    // A list for the template: {"items": [...]}, or null when it is empty.
    static json items(const std::vector<std::string>& v) {
        return v.empty() ? json(nullptr) : json{{"items", v}};
    }

    json snippets() const {
        auto out = json::array();
        for (const auto& sn : in.snippets)
            out.push_back({{"heading", say("headings.primary_config", {{"server", sn.server}})},
                           {"text", sn.text}});
        for (const auto& sn : in.snippets_additions)
            out.push_back(
                {{"heading", say("headings.primary_config_additions", {{"server", sn.server}})},
                 {"text", sn.text}});
        return out;
    }

    // The page's own words (page.*) the template uses as they are.
    json labels() const {
        json t;
        for (const char* k : {"when", "starts", "duration_label", "note", "copy_hint",
                              "checklist_hint", "how_to_read", "yours", "yours_step", "yours_what",
                              "ns_name", "ns_glue", "ns_glue_none", "ns_glue_note"})
            t[k] = say(std::string("page.") + k);
        t["intro"] = say("page.intro", {{"domain", dom()}});
        t["ds_none"] = ds_line(in, w);
        t["who_customer"] = say("page.who.customer");
        t["who_provider"] = say("page.who.provider");
        t["holidays"] = say("page.chart.holidays");
        t["chart_desc"] = say("page.chart.desc");
        return t;
    }

    json headings() const {
        json h;
        for (const char* k :
             {"nameservers", "steps", "schedule", "registrar_request", "transfer_notes",
              "migration", "customer_records", "before_switch", "after_switch"})
            h[k] = say(std::string("headings.") + k);
        return h;
    }
};

}  // namespace

json instructions_html_view(const Instructions& in, const Wording& w, const BusinessCalendar& cal) {
    View v{in, w};
    auto steps = json::array();
    std::vector<Date> explained;
    auto yours = json::array();  // the customer's own steps, at a glance
    for (const auto& s : in.steps) {
        steps.push_back(v.step(s, explained));
        if (!s.provider) yours.push_back(steps.back());
    }
    json chart = chart_view(schedule_chart(in, cal), w);
    if (!chart.is_null()) chart["title"] = w.say("page.chart.title", {{"span", chart["span"]}});
    const bool report = in.migration && !in.migration->customer_zone;
    json view = v.nameservers();
    view.update(
        {{"lang", in.lang},
         {"title",
          w.say("headings.title",
                {{"domain", v.dom()},
                 {"ascii", in.domain_unicode.empty() ? json(nullptr) : json(bare(in.domain))}})},
         {"facts", v.facts()},
         {"t", v.labels()},
         {"h", v.headings()},
         {"chart", chart},
         {"steps", steps},
         {"yours", yours.empty() ? json(nullptr) : json{{"items", yours}}},
         {"provisional",
          in.holidays_provisional.empty()
              ? json(nullptr)
              : json(w.say("warnings.provisional",
                           {{"holidays", join(in.holidays_provisional, w.say("separator", {}))}}))},
         {"registrar_request",
          in.registrar_request.empty() ? json(nullptr) : json(in.registrar_request)},
         {"transfer_notes", View::items(in.transfer_notes)},
         {"migration", report ? json(migration_text(*in.migration, w)) : json(nullptr)},
         {"customer_records", in.customer_records ? json(*in.customer_records) : json(nullptr)},
         {"snippets", v.snippets()},
         {"before_switch", View::items(in.before_switch)},
         {"after_switch", View::items(in.after_switch)}});
    return view;
}

std::string instructions_html(const Instructions& in, const Wording& w, const BusinessCalendar& cal,
                              const std::string& texts_dir) {
    auto tmpl = find_template("instructions.html.mustache", texts_dir);
    if (!tmpl) throw std::logic_error("no built-in template instructions.html.mustache");
    return render_mustache(tmpl->text, instructions_html_view(in, w, cal), true, tmpl->source);
}

}  // namespace zonegen
