"""The panels of the editors' workspace: an article's text with its claims marked, and a fact's
claims side by side with its verdict and chart."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from facts.api.serializers import claim_interval
from facts.domain import agreement, charts, highlight
from facts.domain import track_records as track_domain
from facts.models import Actor, Article, Claim, Fact, Outlet, ValueKind
from facts.services import track_records

STATUS_LEGEND = [
    ("verified", "verified"),
    ("draft", "draft"),
    ("candidate", "candidate"),
    ("rejected", "rejected"),
]


def article_claims(article: Article) -> list[Claim]:
    """The article's claims with what its page shows of them, in one query."""
    return list(
        article.claims.select_related("fact", "actor")
        .only(
            *CLAIM_SHOWN,
            "fact__property",
            "fact__unit",
            "actor__name",
        )
        .order_by("start", "pk")
    )


# What the article page reads of a claim: its marks and its row in the read-only list.
CLAIM_SHOWN = [
    "id",
    "article_id",
    "fact_id",
    "actor_id",
    "status",
    "anchor_state",
    "start",
    "end",
    "wording",
    "value_kind",
    "undisclosed",
    "bound",
    "hedge",
    "number",
    "number_high",
    "unit",
    "date_earliest",
    "date_latest",
    "category",
    "attribution_mode",
]


def mark_name(claim: Claim) -> str:
    """What a mark says of its claim, to a screen reader and in the pop-up list."""
    return f"{claim.fact.property}: {claim.display_value()} ({claim.status})"


def article_body(article: Article) -> SafeString:
    """The news body with every anchored wording marked by status, ready for a selection to
    become a new claim, and the article's claims as a read-only list, each linking to its
    claim form (an editable row per claim made the page weigh 446 KiB in 154 queries)."""
    claims = article_claims(article)
    spans = [
        highlight.Span(
            claim_id=claim.pk,
            start=claim.start,
            end=claim.end,
            status=claim.status,
            title=mark_name(claim),
        )
        for claim in claims
        if claim.anchor_state == Claim.AnchorState.ANCHORED
    ]
    link = reverse("admin:facts_claim_change", args=[0]).replace("/0/", "/{id}/")
    body = highlight.highlighted_html(article.text, spans, link=link)
    legend = format_html_join(
        " ", '<mark class="claim claim-{}">{}</mark>', ((s, label) for s, label in STATUS_LEGEND)
    )
    add_url = reverse("admin:facts_claim_add")
    listed = article_claims_table(claims)
    if not article.text:
        waiting = sum(1 for c in claims if c.anchor_state == Claim.AnchorState.UNANCHORED)
        return format_html(
            '<p class="help">The text of this article is not held yet (it was imported by its '
            "URL). {} claim(s) wait unanchored, with their wordings: paste the news body under "
            "“Edit the text” and save, and each is anchored where its wording stands.</p>{}",
            waiting,
            listed,
        )
    orphans = sum(1 for c in claims if c.anchor_state == Claim.AnchorState.ORPHANED)
    warning = (
        format_html(
            '<p class="errornote">{} claim(s) no longer match the text: see the orphaned '
            "filter of the claims list.</p>",
            orphans,
        )
        if orphans
        else ""
    )
    return format_html(
        '<div class="factsite-legend">{} <span class="factsite-note">Select words in the text (with '
        "the mouse, or Shift and the arrow keys) to make a claim of them; a marked wording "
        "opens its claims with a click or Enter.</span></div>{}"
        '<div class="factsite-workbench"><div class="factsite-article" tabindex="0" '
        'role="region" aria-label="News body" data-article="{}" data-add-url="{}">{}</div>'
        '<div class="factsite-card-slot"></div></div>{}',
        legend,
        warning,
        article.pk,
        add_url,
        mark_safe(body),  # highlighted_html escapes the text itself
        listed,
    )


def article_claims_table(claims: list[Claim]) -> SafeString:
    """The article's claims, read-only and compact: each links to its claim form, where it
    is edited. The marks' pop-up list reads its links from here (by data-claim)."""
    if not claims:
        return mark_safe('<p class="factsite-note">No claim on this article yet.</p>')
    rows = format_html_join(
        "",
        '<tr data-claim="{}" class="status-{}"><td data-label="wording"><a href="{}">“{}”</a>'
        '</td><td data-label="fact">{}</td><td data-label="value">{}</td>'
        '<td data-label="said by">{}</td><td data-label="status">{}</td></tr>',
        (
            (
                claim.pk,
                claim.status,
                reverse("admin:facts_claim_change", args=[claim.pk]),
                claim.wording,
                claim.fact.property,
                claim.display_value(),
                claim.actor.name if claim.actor_id else "own voice",
                claim.status
                + (
                    ""
                    if claim.anchor_state == Claim.AnchorState.ANCHORED
                    else f", {claim.anchor_state}"
                ),
            )
            for claim in claims
        ),
    )
    return format_html(
        '<div class="factsite-table-scroll"><table class="factsite-claims factsite-article-claims">'
        "<caption>{}</caption><thead><tr>"
        '<th scope="col">wording</th><th scope="col">fact</th><th scope="col">value</th>'
        '<th scope="col">said by</th><th scope="col">status</th></tr></thead><tbody>{}</tbody>'
        "</table></div>",
        agreement.counted(len(claims), "claim"),
        rows,
    )


def _day(value) -> str:
    if value is None:
        return "…"
    return date.fromordinal(int(value)).isoformat() if isinstance(value, float) else str(value)


def _interval_text(claim: Claim) -> str:
    interval = claim_interval(claim)
    if interval is None:
        return claim.display_value()
    # A date's interval is in days and names no unit.
    low, high, unit = interval["low"], interval["high"], interval.get("unit", "")
    if isinstance(low, float) or isinstance(high, float) or low is None or high is None:
        shown = [agreement.plain_number(v) if isinstance(v, float) else "…" for v in (low, high)]
        text = shown[0] if low == high else f"{shown[0]} to {shown[1]}"
    else:
        text = low if low == high else f"{low} to {high}"
    return f"{text} {unit}" if unit else text


def roles_of(fact: Fact) -> dict[int, tuple[int, str]]:
    """Each counted claim's group in the stored verdict: (group index, role)."""
    roles = {}
    for index, group in enumerate(fact.verdict_detail.get("groups", [])):
        for claim_id in group["claims"]:
            roles[claim_id] = (index, group["role"])
    return roles


def fact_claims(fact: Fact) -> list[Claim]:
    return list(
        fact.claims.select_related("fact", "article__outlet", "article__wire_source", "actor")
        .defer("article__text", "article__capture", "fact__verdict_detail", "fact__likely_detail")
        .order_by("article__outlet__name", "start")
    )


def originator_names() -> dict[int, str]:
    """Each actor's originator's name (the body at the top of its parent chain), in one query:
    actors number in the thousands at most."""
    actors = {row["id"]: row for row in Actor.objects.values("id", "parent_id", "name")}
    names = {}
    for actor_id, row in actors.items():
        node, seen = row, {actor_id}
        while node["parent_id"] is not None and node["parent_id"] not in seen:
            seen.add(node["parent_id"])
            node = actors[node["parent_id"]]
        names[actor_id] = node["name"]
    return names


def originator_of(claim: Claim, originators: dict[int, str]) -> str:
    """Who says it: the actor's originator, or the outlet (its wire's) in its own voice."""
    if claim.actor_id is None:
        return (claim.article.wire_source or claim.article.outlet).name
    return originators[claim.actor_id]


def fact_panel(fact: Fact) -> SafeString:
    """The verdict with its reasons, the chart of values by originator, and every claim side
    by side with its group."""
    if fact.pk is None:
        return mark_safe("")
    claims = fact_claims(fact)
    originators = originator_names()
    roles = roles_of(fact)
    detail = fact.verdict_detail or {}
    reasons = format_html_join(
        "",
        '<li class="difference difference-{}"><strong>{}</strong>: {}</li>',
        (
            (d["type"], d["type"].replace("_", " "), d["reason"])
            for d in detail.get("differences", [])
            # The summary of a dispute is its leading difference's reason: say it once.
            if d["reason"] not in fact.verdict_summary
        ),
    )
    verdict = format_html(
        '<div class="factsite-verdict verdict-{}"><p class="verdict-kind">{}</p>'
        '<p>{}</p><ul>{}</ul><p class="factsite-note">{} counted from {} in {}, {}. Only verified '
        "claims count.</p></div>",
        fact.verdict,
        fact.get_verdict_display(),
        fact.verdict_summary,
        reasons,
        agreement.counted(fact.counted_claims, "claim"),
        agreement.counted(fact.counted_articles, "article"),
        agreement.counted(fact.counted_outlets, "outlet"),
        agreement.counted(fact.counted_originators, "independent originator"),
    )
    return format_html(
        "{}{}{}{}",
        verdict,
        likely_panel(fact),
        chart(fact, claims, roles, originators),
        claims_table(claims, roles, originators, disputed=is_disputed(fact)),
    )


def is_disputed(fact: Fact) -> bool:
    return fact.verdict in agreement.DISPUTES


def likely_text(fact: Fact) -> str:
    """The likely value as a person reads it: "183133", "2022-02-20", "some stay"."""
    value = fact.likely_value or {}
    if "category" in value:
        return str(value["category"])
    best = value.get("best")
    if best is None:
        return ""
    shown = agreement.plain_number(best) if isinstance(best, int | float) else str(best)
    return f"{shown} {fact.unit}".strip()


def likely_panel(fact: Fact) -> SafeString:
    """The likely value beside the verdict, with its confidence and the weights behind it."""
    if not fact.likely_value:
        return mark_safe("")
    detail = fact.likely_detail or {}
    originators = format_html_join(
        "",
        '<li class="{}">{} (weight {})</li>',
        (
            (
                "supports" if o.get("supports") else "rival",
                o.get("name") or o.get("key"),
                f"{o.get('weight', 0):.2f}",
            )
            for o in detail.get("originators", [])
        ),
    )
    return format_html(
        '<div class="factsite-likely"><p><strong>Likely value</strong>: {} (confidence {}{})'
        '</p><p class="factsite-note">Beside the verdict, not instead of it: each originator weighs '
        "by how often its claims stood with the likely values of all facts.</p><ul>{}</ul></div>",
        likely_text(fact),
        f"{fact.likely_confidence or 0:.2f}",
        "; a tie, decided by rule" if detail.get("tied") else "",
        originators,
    )


def group_names(fact: Fact) -> dict[int, str]:
    """The legend's name of each group of the stored verdict. The sides of a dispute are
    named alike ("side 1", "side 2"): the verdict says there is no consensus, and a name
    like "rival" reads as right against wrong."""
    names = {}
    for index, group in enumerate((fact.verdict_detail or {}).get("groups", [])):
        value = group.get("category") or ""
        said = f": “{value}”" if value else ""
        if is_disputed(fact):
            names[index] = f"side {index + 1}{said}"
        elif group["role"] == "consensus":
            names[index] = f"consensus{said}"
        elif group["role"] == "outlier":
            names[index] = f"outlier{said}"
        else:
            names[index] = f"another value{said}"
    return names


def day_label(ordinal: float) -> str:
    """An axis tick of days as people write it: "20 Feb 2022"."""
    day = date.fromordinal(int(ordinal))
    return f"{day.day} {day:%b %Y}"


def axis_label(fact: Fact) -> str:
    if fact.value_kind == ValueKind.DATE:
        return "date"
    return f"value, in {agreement.plural(fact.unit)}" if fact.unit else "value (a count)"


def chart(
    fact: Fact,
    claims: list[Claim],
    roles: dict[int, tuple[int, str]],
    originators: dict[int, str],
) -> SafeString:
    """The verified values by originator (who says what) as server-side SVG: intervals on one
    axis, or each originator's category."""
    rows = []
    for claim in claims:
        if claim.undisclosed or claim.status != Claim.Status.VERIFIED:
            continue
        group, role = roles.get(claim.pk, (None, "rival"))
        interval = claim_interval(claim)
        low = high = None
        if interval is not None:
            low, high = interval["low"], interval["high"]
            if fact.value_kind == ValueKind.DATE:
                low = date.fromisoformat(low).toordinal() if low else None
                high = date.fromisoformat(high).toordinal() if high else None
        rows.append(
            charts.ChartRow(
                who=originator_of(claim, originators),
                label=f"“{claim.wording}” — {claim.display_value()}, in "
                f"{claim.article.outlet.name}",
                low=low,
                high=high,
                group=group,
                role=role,
                category=claim.category,
            )
        )
    title = f"{fact.property}: verified values by who says them"
    names = group_names(fact)
    if fact.value_kind == ValueKind.CATEGORICAL:
        svg = charts.category_chart(rows, fact.categories, title=title, group_names=names)
    else:
        # A band is drawn only where the verdict found a consensus; the sides of a dispute
        # have none.
        consensus = None if is_disputed(fact) else (fact.consensus_low, fact.consensus_high)
        fmt = day_label if fact.value_kind == ValueKind.DATE else agreement.plain_number
        svg = charts.interval_chart(
            rows,
            consensus=consensus,
            fmt=fmt,
            title=title,
            axis=axis_label(fact),
            group_names=names,
        )
    return format_html(
        '<figure class="factsite-chart"><figcaption>{}</figcaption>{}<p class="factsite-note">Each row '
        "is an originator; hover or long-press a mark for its wording and outlet. The claims "
        "are listed below.</p></figure>",
        title,
        mark_safe(svg),  # the chart escapes every text it draws
    )


def claims_table(
    claims: list[Claim],
    roles: dict[int, tuple[int, str]],
    originators: dict[int, str],
    *,
    disputed: bool = False,
) -> SafeString:
    """Every claim of the fact side by side, read-only: each links to its claim form."""
    rows = format_html_join(
        "",
        '<tr class="status-{}"><td data-label="outlet">{}</td><td data-label="wording">'
        '<a href="{}">“{}”</a></td><td data-label="interval">{}</td>'
        '<td data-label="attribution">{}</td><td data-label="as of">{}</td>'
        '<td data-label="status">{}</td><td data-label="group">{}</td></tr>',
        (
            (
                claim.status,
                claim.article.outlet.name,
                reverse("admin:facts_claim_change", args=[claim.pk]),
                claim.wording,
                _interval_text(claim),
                attribution(claim, originators),
                claim.as_of or "",
                claim.status,
                group_label(roles.get(claim.pk), claim, disputed=disputed),
            )
            for claim in claims
        ),
    )
    return format_html(
        '<div class="factsite-table-scroll"><table class="factsite-claims"><caption>{}</caption>'
        '<thead><tr><th scope="col">outlet</th><th scope="col">wording</th>'
        '<th scope="col">interval</th><th scope="col">attribution</th><th scope="col">as of'
        '</th><th scope="col">status</th><th scope="col">group</th></tr></thead><tbody>{}'
        "</tbody></table></div>",
        agreement.counted(len(claims), "claim"),
        rows,
    )


def attribution(claim: Claim, originators: dict[int, str]) -> str:
    if claim.actor is None:
        outlet = claim.article.wire_source or claim.article.outlet
        return f"{outlet.name} (own voice)"
    top = originators[claim.actor_id]
    under = f" → {top}" if top != claim.actor.name else ""
    cue = f": “{claim.attribution_cue}”" if claim.attribution_cue else ""
    return f"{claim.actor.name}{under}, {claim.get_attribution_mode_display()}{cue}"


def group_label(role: tuple[int, str] | None, claim: Claim, *, disputed: bool = False) -> str:
    if claim.undisclosed:
        return "not disclosed"
    if role is None:
        return "not counted" if claim.status != Claim.Status.VERIFIED else "—"
    index, name = role
    if disputed and name != "less_precise":
        return f"side {index + 1}"
    return {
        "consensus": "consensus",
        "less_precise": "supports, less precise",
        "outlier": f"outlier (group {index + 1})",
        "side": f"side {index + 1}, none leads",
    }.get(name, f"another value (group {index + 1})")


# Track records -----------------------------------------------------------------------------


def _record_table(caption: str, records: track_records.Records) -> SafeString:
    overall, by_year = records
    rows = [("overall", overall), *((str(year), r) for year, r in reversed(by_year))]
    body = format_html_join(
        "",
        "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                label,
                r.facts,
                r.with_consensus,
                r.outliers,
                r.against,
                r.contested,
                "–" if r.share_with_consensus is None else f"{r.share_with_consensus:.1%}",
            )
            for label, r in rows
        ),
    )
    return format_html(
        '<p><strong>{}</strong>: {}.</p><table class="factsite-track-record"><thead><tr>'
        '<th scope="col">period</th><th>facts</th><th>with the consensus</th><th>outliers</th><th>against</th>'
        "<th>contested</th><th>share with the consensus</th></tr></thead><tbody>{}</tbody>"
        "</table>",
        caption,
        overall.summary,
        body,
    )


def track_record_panel(tables: list[tuple[str, track_records.Records]], note: str) -> SafeString:
    """Track records, read-only: the sentence with its counts, then the counts by year."""
    parts = [_record_table(caption, records) for caption, records in tables]
    return format_html(
        '<div class="factsite-track-records">{}<p class="help">{}</p></div>',
        mark_safe("".join(parts)),  # each part is built by format_html
        note,
    )


def outlet_track_records(outlet: Outlet) -> SafeString:
    found = track_records.records_of([track_domain.OUTLET, track_domain.OUTLET_VOICE], outlet.pk)
    return track_record_panel(
        [
            ("As publisher (every claim in its articles)", found[track_domain.OUTLET]),
            ("As originator (its own-voice claims)", found[track_domain.OUTLET_VOICE]),
        ],
        track_domain_note(),
    )


def actor_track_record(actor: Actor) -> SafeString:
    originator = actor.originator()
    found = track_records.records_of([track_domain.ACTOR], originator.pk)
    caption = "As originator"
    if originator.pk != actor.pk:
        caption = f"Counted under {originator.name}, the body {actor.name} speaks for"
    return track_record_panel([(caption, found[track_domain.ACTOR])], track_domain_note())


def track_domain_note() -> str:
    return (
        f"Verified claims only, on facts with at least {track_domain.MIN_ORIGINATORS} "
        "independent originators (a sole source agrees with itself); a fact counts once "
        "overall and once in each year its claims were published in. Recomputed with the "
        "verdicts."
    )
