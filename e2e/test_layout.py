"""Layout the eye trips over (issue 23), measured in the browser with the product's stylesheets: a row
header keeps the row's bottom border, a notice under the H1 and the cards above a list keep their
distance, and a table's caption stays within a 320 px screen while the table scrolls sideways."""

import pytest

PAGE = """<!DOCTYPE html><html lang="nl" class="utrecht-theme"><head><title>Opmaak</title>{links}</head>
<body class="utrecht-document"><div class="utrecht-page"><main class="wt-main" id="main">
<h1 class="utrecht-heading-1">Mijn werk</h1>
<div class="utrecht-alert utrecht-alert--info" id="notice"><p class="utrecht-paragraph">3 open zaken hebben nog
geen regisseur.</p></div>
<div class="wt-grid" id="cards"><section class="wt-panel">Bezoeken</section>
<section class="wt-panel">Termijnen</section></div>
<section id="list"><h2 class="utrecht-heading-2">Mijn open zaken</h2></section>
<div class="wt-table-wrap"><table class="utrecht-table"><caption class="utrecht-table__caption" id="caption">Zaken per
team · 1 januari 2027 tot en met 31 maart 2027</caption>
<thead class="utrecht-table__header"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="col">
Team</th><th class="utrecht-table__header-cell" scope="col">Open zaken nu</th><th class="utrecht-table__header-cell"
scope="col">Nieuwe zaken in de periode</th><th class="utrecht-table__header-cell" scope="col">Aandeel op tijd</th></tr>
</thead><tbody class="utrecht-table__body"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell"
scope="row" id="row-header">Wijkteam Noord</th><td class="utrecht-table__cell" id="cell">12</td><td
class="utrecht-table__cell">4</td><td class="utrecht-table__cell">100%</td></tr></tbody></table></div>
</main></div></body></html>"""

MEASURE = """() => {
  const box = id => document.getElementById(id).getBoundingClientRect();
  const border = id => getComputedStyle(document.getElementById(id)).borderBottomWidth;
  return {
    captionRight: box('caption').right, width: innerWidth,
    rowHeaderBorder: border('row-header'), cellBorder: border('cell'),
    noticeGap: box('notice').top - document.querySelector('h1').getBoundingClientRect().bottom,
    cardsGap: box('list').top - box('cards').bottom,
  };
}"""


@pytest.mark.parametrize("width", [320, 1280])
def test_rows_blocks_and_captions_keep_their_shape(new_journey, width):
    journey = new_journey(viewport={"width": width, "height": 800})
    journey.goto("/toegankelijkheid/", step="accessibility")  # the product's stylesheets, as served
    links = journey.page.evaluate(
        "() => [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.outerHTML).join('')"
    )
    journey.page.set_content(PAGE.format(links=links), wait_until="load")
    found = journey.page.evaluate(MEASURE)
    assert found["rowHeaderBorder"] == found["cellBorder"] != "0px", found
    assert found["noticeGap"] >= 8 and found["cardsGap"] >= 8, found
    assert found["captionRight"] <= found["width"], found
