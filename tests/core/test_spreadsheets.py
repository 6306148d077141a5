"""A workbook people work with: typed cells, no formulas from data, frozen header, widths."""

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from perspectief.core.spreadsheets import MAX_WIDTH, Sheet, workbook


def test_cells_keep_their_type_and_text_cannot_be_a_formula():
    long_text = "een heel lange toelichting " * 10
    content = workbook(
        [
            Sheet(
                "A title longer than Excel's thirty-one characters",
                ["Naam", "Aantal", "Bedrag", "Datum", "Toelichting"],
                [
                    ['=HYPERLINK("http://x")', 7, Decimal("12.50"), date(2026, 12, 6), None],
                    ["Zaanstad", None, None, None, long_text],
                ],
            )
        ]
    )
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet.title == "A title longer than Excel's thi"  # 31 characters, Excel's limit
    first, second = sheet[2], sheet[3]
    assert first[0].value == '\'=HYPERLINK("http://x")' and first[0].data_type == "s"
    assert first[1].value == 7 and first[2].value == 12.5
    assert first[3].value.date() == date(2026, 12, 6) and first[3].number_format == "dd-mm-yyyy"
    assert second[1].value is None  # an empty cell, not "" or "x"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["E"].width == MAX_WIDTH  # capped
    assert sheet.column_dimensions["D"].width == len("dd-mm-yyyy") + 2
    assert sheet.column_dimensions["B"].width == len("Aantal") + 2
