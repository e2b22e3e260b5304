#!/usr/bin/env python3
"""Issue 18 through the command line (no servers): the customer texts come from templates/
and a profile's texts_dir rewords them without a rebuild; a key the built-in file does not
have, or a name a text is not given, is exit 2 naming the file; the Japanese output holds
no English sentence and names neither the tool nor its version; the registrar letter lists
each name server once. Usage:
  customer_texts_cli.py ZONEGEN SOURCE_DIR WORKDIR"""
import json, os, re, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import harness  # noqa: E402

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
zg = harness.make_zg(ZG, WORK, {"PDNS_API_KEY": None})


def write(name, text):
    p = os.path.join(WORK, name)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        f.write(text)
    return p


def profile_with_texts(name, texts_dir):
    text = open(os.path.join(SRC, "templates", "profile.yaml")).read()
    return write(name, text + "\ntexts_dir: %s\n" % texts_dir)


SPEC_B = ("domain: example.jp\ndns_pattern: B\nregistrar: customer\n"
          "server: {name: sv1.example.net, ipv4: [192.0.2.10]}\n"
          "customer_nameservers: [{name: ns1.example.jp, ipv4: [203.0.113.1]}, ns2.dns-host.example]\n"
          "customer_primary: [\"203.0.113.53\"]\n")


def test_texts_dir_rewords_one_key_and_keeps_the_others():
    d = os.path.join(WORK, "texts-ok")
    write("texts-ok/instructions.ja.yaml",
          "steps:\n  cancel:\n    title: 旧サーバの解約手続き（{{domain}}）\n")
    s = write("b.yaml", SPEC_B)
    r = zg("instructions", s, "--profile", profile_with_texts("p-ok.yaml", d), "--format", "json",
           "--start", "2027-04-26", check=0)
    steps = {x["id"]: x for x in json.loads(r.out)["steps"]}
    assert steps["cancel"]["title"] == "旧サーバの解約手続き（example.jp）", steps["cancel"]
    assert steps["parallel"]["title"] == "並行運用期間", steps["parallel"]
    # English is untouched by a Japanese file.
    en = zg("instructions", s, "--profile", profile_with_texts("p-ok.yaml", d), "--lang", "en",
            "--format", "json", check=0)
    assert any(x["title"] == "Cancel the old server" for x in json.loads(en.out)["steps"])


def test_unknown_key_and_unknown_name_are_exit_2_naming_the_file():
    s = write("b2.yaml", SPEC_B)
    d = os.path.join(WORK, "texts-typo")
    write("texts-typo/instructions.ja.yaml", "steps:\n  cancle:\n    title: x\n")
    r = zg("instructions", s, "--profile", profile_with_texts("p-typo.yaml", d))
    assert r.returncode == 2 and "steps.cancle" in r.err and "instructions.ja.yaml" in r.err, (r.returncode, r.err)
    assert r.out == "", r.out
    d = os.path.join(WORK, "texts-name")
    write("texts-name/instructions.ja.yaml", "steps:\n  cancel:\n    title: \"{{domian}}\"\n")
    r = zg("instructions", s, "--profile", profile_with_texts("p-name.yaml", d))
    assert r.returncode == 2 and "{{domian}}" in r.err and "steps.cancel.title" in r.err, (r.returncode, r.err)
    assert r.out == "", r.out


def test_japanese_output_has_no_english_and_no_tool_name():
    for name in sorted(os.listdir(os.path.join(SRC, "examples"))):
        spec = os.path.join(SRC, "examples", name)
        for fmt in ("text", "markdown"):
            r = zg("instructions", spec, "--lang", "ja", "--format", fmt, "--start", "2027-04-26", check=0)
            assert "zonegen" not in r.out, (name, fmt)
            # Outside the configuration examples and the records (code), no English sentence:
            # three English words in a row.
            prose = r.out.split("プライマリDNSの設定例")[0].split("お客さまのゾーンで変更するレコード")[0]
            prose = re.sub(r"```.*?```", "", prose, flags=re.S)
            words = re.findall(r"\b[A-Za-z]{3,}(?: [A-Za-z]{3,}){2,}\b", prose)
            assert not words, (name, fmt, words)
            assert not re.search(r"日\([月火水木金土日]\)", r.out), (name, fmt)


def test_letter_lists_each_name_server_once_with_its_host_record():
    r = zg("instructions", write("b3.yaml", SPEC_B), "--start", "2027-04-26", "--format", "json", check=0)
    letter = json.loads(r.out)["registrar_request"]
    assert letter.count("ns1.example.jp") == 1 and letter.count("ns2.dns-host.example") == 1, letter
    assert "ホスト情報（IPアドレス）：203.0.113.1" in letter, letter
    for phrase in ("お世話になっております", "よろしくお願いいたします", "（担当者名）", "すべて削除し"):
        assert phrase in letter, (phrase, letter)


def test_dates_have_weekdays_in_both_languages():
    r = zg("instructions", write("b4.yaml", SPEC_B), "--start", "2027-04-26", check=0)
    assert "2027年4月26日（月）" in r.out, r.out
    r = zg("instructions", write("b5.yaml", SPEC_B), "--start", "2027-04-26", "--lang", "en", check=0)
    assert "Mon 26 Apr 2027" in r.out, r.out


if __name__ == "__main__":
    harness.main(globals(), WORK)
