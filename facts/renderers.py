"""CSV for every list, for the spreadsheets data journalists live in."""

from rest_framework_csv.renderers import PaginatedCSVRenderer

# A cell starting with one of these is a formula to a spreadsheet: quote it as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CSVRenderer(PaginatedCSVRenderer):
    """The page's rows as CSV: nested fields flattened ('outlet.name'), columns in the API's
    order, and text that a spreadsheet would run as a formula made inert."""

    def tablize(self, data, header=None, labels=None):
        if data and not header:
            # Columns in the API's order, from every row: a null nested value in the first
            # row must not hide the columns the others fill.
            header = list(dict.fromkeys(key for item in data for key in self.flatten_item(item)))
        for row in super().tablize(data, header=header, labels=labels):
            yield [
                f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
                for cell in row
            ]
