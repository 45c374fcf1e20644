"""Reading learner lists as spreadsheet programs save them (no database needed)."""

import pytest

from app.cohorts import roster


@pytest.fixture(autouse=True)
def _app(bare_app):
    return bare_app


def _emails(result):
    return [(p.row, p.name, p.email, p.organisation, [str(m) for m in p.problems]) for p in result.people]


def test_excel_utf8_with_bom_and_semicolons_in_bulgarian():
    data = "Име и фамилия;Имейл;Организация\r\nМария Иванова;Maria@Plovdiv.BG;Община Пловдив\r\n".encode("utf-8-sig")
    result = roster.read(data)
    assert (result.encoding, result.separator) == ("utf-8", ";")
    assert _emails(result) == [(2, "Мария Иванова", "maria@plovdiv.bg", "Община Пловдив", [])]


def test_utf8_without_bom_with_commas_and_english_headings_in_any_order():
    data = b"E-mail,Organisation,Full name\nivan@sofia.bg,,Ivan Petrov\n"
    assert _emails(roster.read(data)) == [(2, "Ivan Petrov", "ivan@sofia.bg", "", [])]


def test_windows_1251_from_plain_excel_csv():
    data = "Име;Имейл\nПетър Петров;petar@varna.bg\n".encode("cp1251")
    result = roster.read(data)
    assert result.encoding == "windows-1251"
    assert _emails(result)[0][1] == "Петър Петров"


def test_tab_separated():
    assert _emails(roster.read(b"name\temail\nA B\ta@b.bg\n"))[0][2] == "a@b.bg"


def test_quoted_fields_with_separators_quotes_and_line_breaks():
    data = 'name;email;organisation\n"Doe; John ""JD""";jd@x.bg;"Община\nСофия"\nNext;n@x.bg;\n'.encode()
    result = roster.read(data)
    assert [(p.row, p.name, p.organisation) for p in result.people] == [
        (3, 'Doe; John "JD"', "Община София"), (4, "Next", "")]


def test_blank_lines_and_spaces_are_ignored():
    data = b"name,email\n\n  Ann   Lee  ,  ann@x.bg \n,,\n"
    assert _emails(roster.read(data)) == [(3, "Ann Lee", "ann@x.bg", "", [])]


def test_bad_addresses_and_duplicates_are_row_problems_not_file_errors():
    data = b"name,email\nA,a@x.bg\nB,not-an-address\nC,A@X.BG\nD,\n,e@x.bg\n"
    rows = _emails(roster.read(data))
    assert rows[0][4] == []
    assert "is not an e-mail address" in rows[1][4][0]
    assert rows[2][4] == ["The same e-mail address is already on row 2."]
    assert rows[3][4] == ["The e-mail address is missing."]
    assert rows[4][4] == ["The name is missing."]


@pytest.mark.parametrize("data, row, message", [
    (b"", 0, "empty"),
    (b"\n\n  \n", 0, "empty"),
    (b"first,second\na,b\n", 1, "must name the columns"),
    (b"name,email\n", 1, "nobody in it"),
    (b'name,email\n"Unclosed,a@b.bg\n', 2, "quote"),
    (b"name,email\nA,a@b.bg,extra,more\n", 2, "has 4 fields"),
    (b"PK\x03\x04\x00\x00binary", 0, "not a text file"),
])
def test_malformed_files_are_refused_with_row_numbers(data, row, message):
    with pytest.raises(roster.RosterError) as caught:
        roster.read(data)
    assert caught.value.problems[0][0] == row
    assert message in str(caught.value.problems[0][1])


def test_size_and_row_limits():
    with pytest.raises(roster.RosterError, match="5 MB"):
        roster.read(b"name,email\n" + b"x" * (roster.MAX_BYTES + 1))
    many = "name,email\n" + "".join(f"P{n},p{n}@x.bg\n" for n in range(roster.MAX_ROWS + 1))
    with pytest.raises(roster.RosterError, match="more than"):
        roster.read(many.encode())


def test_five_thousand_rows():
    data = ("Име;Имейл;Организация\n" + "".join(f"Служител {n};s{n}@obshtina.bg;Община\n" for n in range(5000)))
    result = roster.read(data.encode("utf-8-sig"))
    assert len(result.people) == 5000 and not any(p.problems for p in result.people)
    assert result.people[-1].row == 5001


def test_formula_like_cells_are_kept_as_text():
    result = roster.read(b'name,email\n"=HYPERLINK(""http://x"")",f@x.bg\n')
    assert result.people[0].name == '=HYPERLINK("http://x")'
