"""Binary files are refused, whatever their bytes, and text in any encoding Margin reads is not.

A file of random bytes without a NUL (the tester's `head -c 200 /dev/urandom`) was listed as an
article, titled with symbols and "50 words": only a NUL byte made a file binary. Now the start of
the file, decoded as Margin decodes it, must read like writing (words and spaces, not control
characters, bad bytes and stray symbols). All texts below are invented.
"""

from __future__ import annotations

import bz2
import lzma
import random
import zlib

import pytest
from helpers import make_app, wait_until

from tui.core.articles import ArticleError, load_article, looks_binary, read_article_bytes

BINARY = "looks like a binary file, not text"

TEXTS = {
    "en": (
        "Harbour council delays vote\n\n"
        "The harbour council of Westbay delayed its vote on the new ferry pier on Tuesday, after residents "
        "crowded into the town hall. “We need more time to read the plans,” said councillor Mara Quill. "
        "The pier would cost £4.2m (about 12% more than planned) and open in 2027.\n"
    ),
    "fr": (
        "Le conseil du port reporte son vote\n\n"
        "Le conseil municipal de Port-Vallon a reporté mardi le vote sur la nouvelle jetée, après une "
        "réunion houleuse. « Nous devons étudier les plans », a déclaré l’élue Hélène Garçon. Le coût "
        "prévu dépasse 4,2 millions d’euros ; les pêcheurs craignent deux saisons sans quai.\n"
    ),
    "de": (
        "Hafenrat verschiebt Abstimmung\n\n"
        "Der Hafenrat von Nordwiek hat am Dienstag die Abstimmung über die neue Fähranlegestelle "
        "verschoben. „Wir brauchen mehr Zeit für die Pläne“, sagte die Ratsfrau Jutta Größe-Weiß.\n"
    ),
    "es": (
        "El consejo del puerto aplaza la votación\n\n"
        "El consejo de Puertoclaro aplazó el martes la votación sobre el nuevo muelle. «¿Quién pagará las "
        "obras?», preguntó la concejala Begoña Núñez. ¡Los pescadores temen perder dos temporadas!\n"
    ),
    "pl": (
        "Rada portu odkłada głosowanie\n\n"
        "Rada miasta Zatoczno odłożyła we wtorek głosowanie w sprawie nowego mola. „Potrzebujemy więcej "
        "czasu”, powiedziała radna Łucja Żółkiewska. Rybacy obawiają się zamknięcia nabrzeża.\n"
    ),
    "el": (
        "Το λιμενικό συμβούλιο αναβάλλει την ψηφοφορία\n\n"
        "Το δημοτικό συμβούλιο της Νέας Ακτής ανέβαλε την Τρίτη την ψηφοφορία για τη νέα προβλήτα. "
        "«Χρειαζόμαστε περισσότερο χρόνο», δήλωσε η σύμβουλος Μαρία Κωστοπούλου.\n"
    ),
    "ru": (
        "Портовый совет отложил голосование\n\n"
        "Городской совет Северной Бухты во вторник отложил голосование по новому причалу. «Нам нужно "
        "больше времени, чтобы изучить планы», — сказала депутат Мария Соколова.\n"
    ),
    "ar": (
        "مجلس الميناء يؤجل التصويت\n\n"
        "أجّل مجلس مدينة الخليج الهادئ يوم الثلاثاء التصويت على الرصيف الجديد. وقالت عضوة المجلس مريم "
        "السعدي: «نحتاج إلى مزيد من الوقت لدراسة الخطط».\n"
    ),
    "he": (
        "מועצת הנמל דוחה את ההצבעה\n\n"
        "מועצת העיר מפרץ השקט דחתה ביום שלישי את ההצבעה על המזח החדש. ״אנחנו צריכים עוד זמן״, אמרה "
        "חברת המועצה מרים לוי.\n"
    ),
    "zh": (
        "港口议会推迟投票\n\n"
        "静湾市议会周二推迟了关于新码头的投票。议员李明华说：“我们需要更多时间研究这些计划。”"
        "渔民们担心码头将关闭两个季节。\n"
    ),
    "ja": (
        "港湾議会が採決を延期\n\n"
        "静浦市議会は火曜日、新しい桟橋に関する採決を延期した。山田花子議員は「計画を読む時間がもっと"
        "必要だ」と述べた。\n"
    ),
    "ko": (
        "항만 의회, 표결 연기\n\n"
        "고요만 시의회는 화요일 새 부두에 관한 표결을 연기했다. 김미래 의원은 “계획을 검토할 시간이 더 "
        "필요하다”고 말했다.\n"
    ),
    "hi": (
        "बंदरगाह परिषद ने मतदान टाला\n\n"
        "शांत खाड़ी नगर परिषद ने मंगलवार को नए घाट पर मतदान टाल दिया। पार्षद मीरा शर्मा ने कहा, "
        "“हमें और समय चाहिए।”\n"
    ),
}
# The legacy encodings each text is written in too, besides UTF-8 (BOM or not) and UTF-16 (BOM or not).
LEGACY = {
    "en": ["cp1252"],
    "fr": ["cp1252", "latin_1", "iso8859_15"],
    "de": ["cp1252", "latin_1"],
    "es": ["cp1252", "latin_1"],
    "pl": ["cp1250", "iso8859_2"],
    "el": ["cp1253", "iso8859_7"],
    "ru": ["cp1251", "koi8_r", "cp866"],
    "ar": ["cp1256"],
    "he": ["cp1255"],
    "zh": ["gb2312", "gb18030"],
    "ja": ["shift_jis", "euc_jp", "iso2022_jp"],
    "ko": ["euc_kr"],
    "hi": [],
}
# Chinese, Japanese and Korean in UTF-16 need their byte-order mark (README: "Encodings").
NEEDS_BOM = {"zh", "ja", "ko"}


def variants(text: str) -> dict[str, str]:
    """The ways one text comes: whole, a title alone, one sentence, long, with stray control
    characters, as Markdown with front matter and a table."""
    body = text.split("\n\n", 1)[1]
    return {
        "whole": text,
        "title": text.split("\n", 1)[0] + "\n",
        "sentence": body[:70] + "\n",
        "long": (text + "\n") * (24_000 // len(text.encode())),
        "strays": text[:30] + "\x07" + text[30:80] + "\x08" + text[80:],
        "markdown": "---\ntitle: Pier\ndate: 2024-03-05\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n" + text,
    }


def real_files() -> list[tuple[str, bytes]]:
    files = []
    for lang, text in TEXTS.items():
        encodings = ["utf-8", "utf-8-sig", "utf-16", *LEGACY[lang]]
        if lang not in NEEDS_BOM:
            encodings += ["utf-16-le", "utf-16-be"]
        for name, variant in variants(text).items():
            for encoding in encodings:
                files.append((f"{lang}/{name}/{encoding}", variant.encode(encoding, errors="replace")))
    return files


def random_files() -> list[tuple[str, bytes]]:
    files = []
    for size, seeds in ((200, 40), (300, 20), (512, 20), (1000, 20), (4096, 10), (8192, 10), (65536, 4)):
        for seed in range(seeds):
            rng = random.Random(f"{size}/{seed}")
            data = rng.randbytes(size)
            no_nul = data.replace(b"\x00", bytes([rng.randrange(1, 256)]))
            files.append((f"{size}/{seed}/without NULs", no_nul))
            files.append((f"{size}/{seed}/with NULs", no_nul[:100] + b"\x00" + no_nul[101:]))
            files.append((f"{size}/{seed}/high bytes only", bytes(rng.randrange(0x80, 0x100) for _ in range(size))))
    return files


def compressed_files() -> list[tuple[str, bytes]]:
    prose = "".join(TEXTS.values()).encode() * 8
    files = []
    for name, compress in (("zlib", zlib.compress), ("bz2", bz2.compress), ("xz", lzma.compress)):
        for size in (300, 2000, len(prose)):
            data = compress(prose[:size])
            files.append((f"{name}/{size}", data))
            files.append((f"{name}/{size}/without NULs", data.replace(b"\x00", b"\x01")))
    return files


def test_random_bytes_of_any_length_are_a_binary_file():
    accepted = [name for name, data in random_files() if not looks_binary(data)]
    assert accepted == []


def test_random_bytes_are_refused_with_the_binary_message(tmp_path):
    for name, data in random_files()[::7]:
        path = tmp_path / "bin.txt"
        path.write_bytes(data)
        with pytest.raises(ArticleError) as raised:
            read_article_bytes(path)
        assert str(raised.value) == f"{path}: {BINARY}", name


def test_compressed_data_is_a_binary_file():
    accepted = [name for name, data in compressed_files() if not looks_binary(data)]
    assert accepted == []


def test_real_text_in_every_encoding_and_script_is_not_binary():
    refused = [name for name, data in real_files() if looks_binary(data)]
    assert refused == []


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_real_text_opens_and_reads_as_written(tmp_path, lang):
    """UTF-8, UTF-16 (with a BOM; without one but for CJK) and the stray control characters come
    back character for character; legacy encodings open (their detection may pick a sibling)."""
    for name, variant in variants(TEXTS[lang]).items():
        for encoding in ["utf-8", "utf-16", *LEGACY[lang]] + ([] if lang in NEEDS_BOM else ["utf-16-le"]):
            path = tmp_path / f"{lang}-{name}-{encoding}.txt"
            path.write_bytes(variant.encode(encoding, errors="replace"))
            article = load_article(path)  # raises when refused
            if encoding.startswith("utf"):
                assert article.text == variant, (name, encoding)


@pytest.mark.parametrize(
    ("lang", "encoding"),
    [
        ("pl", "cp1250"),
        ("el", "cp1253"),
        ("ru", "cp1251"),
        ("ar", "cp1256"),
        ("zh", "gb2312"),
        ("ja", "shift_jis"),
        ("ko", "euc_kr"),
    ],
)
def test_a_stray_control_character_does_not_throw_the_encoding_off(tmp_path, lang, encoding):
    path = tmp_path / "strays.txt"
    text = variants(TEXTS[lang])["strays"]
    path.write_bytes(text.encode(encoding))
    assert load_article(path).text == text


@pytest.mark.parametrize("lang", ["el", "ru", "ar", "he", "hi"])
def test_utf16_without_a_bom_in_other_alphabets_opens(tmp_path, lang):
    for codec in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{codec}.txt"
        path.write_bytes(TEXTS[lang].encode(codec))
        article = load_article(path)
        assert article.text == TEXTS[lang]
        assert article.notices == (f"read as {codec.upper()} (the file has no byte-order mark)",)


def test_a_big5_file_cut_without_a_line_break_is_still_detected(tmp_path):
    """The encoding is detected on the first MB (and the binary check reads the first 8 KiB):
    a cut through a two-byte character must not leave the detector without an answer."""
    line = "港口議會推遲投票，議員說：「我們需要更多時間研究這些計劃。」漁民們擔心碼頭將關閉兩個季節。"
    data = ("<p>" + line * 400 + "</p>\n").encode("big5")
    path = tmp_path / "big5.txt"
    path.write_bytes(data)
    assert load_article(path).text.startswith("<p>" + line)


def test_short_text_with_a_stray_control_byte_opens_but_next_to_no_text_does_not(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes(b"Hello\x07 world, said the harbour master.\n")
    assert load_article(path).word_count == 6
    path.write_bytes(b"\x01\x02binary")  # as the NUL test: a few control bytes in next to no text
    with pytest.raises(ArticleError, match=BINARY):
        load_article(path)
    path.write_bytes(b"Escapes \x1b]0;PWNED\x07 title\n\nBody \x1b[2J with \x9b controls and \xe2\x80\xae bidi.\n")
    assert "Escapes" in load_article(path).title


def test_iso_2022_jp_is_read_as_japanese(tmp_path):
    path = tmp_path / "jis.txt"
    path.write_bytes(TEXTS["ja"].encode("iso2022_jp"))
    assert load_article(path).text == TEXTS["ja"]


async def test_random_bytes_rescanned_in_the_library_are_a_problem_not_a_row(tmp_path):
    """The tester's steps: random bytes written into the folder, `r` in the library, then `p`."""
    from tui.ui.screens.library import LibraryScreen

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "pier.txt").write_text(TEXTS["en"], encoding="utf-8")
    app = make_app([folder], tmp_path / "db.json", tmp_path=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded, what="library")
        screen = app.screen
        rng = random.Random("tester")
        data = rng.randbytes(200).replace(b"\x00", b"\x1a")  # no NUL, some 20 control bytes
        assert b"\x00" not in data
        (folder / "bin.txt").write_bytes(data)
        await pilot.press("r")
        await wait_until(pilot, lambda: screen.loaded, what="the rescan")
        assert [entry.title for entry in screen.entries] == ["Harbour council delays vote"]
        assert [p.rsplit("/", 1)[-1] for p in screen.problems] == [f"bin.txt: {BINARY}"]
        await pilot.press("p")
        await pilot.pause()
        assert f"bin.txt: {BINARY}" in str(screen.query_one("#lib-problems-text").render())
