"""The general boilerplate rules, as data: editors change them in the admin, and add rules of
their own outlets beside them. Each is matched against a whole paragraph of a capture (see
facts.domain.boilerplate); the examples are the seed captures' own lines."""

from django.db import migrations

# (pattern, kind, what it removes)
GENERAL_RULES = [
    # Donation and subscription appeals.
    (r"(?i)enjoying ad-free content\?", "line", "donation appeal: 'Enjoying ad-free content?'"),
    (r"(?i)since .{1,40}, we have disabled all ads.*", "line", "donation appeal: ads disabled"),
    (r"(?i)this commitment costs us .*", "line", "donation appeal: what it costs"),
    (r"(?i)(please )?(support|donate to|subscribe to) us( today| now)?[.!]?", "line",
     "donation appeal: 'Support us'"),
    (r"(?i)our journalism is banned in .*", "line", "donation appeal: banned in"),
    (r"(?i)not ready to support today\?", "line", "donation appeal: button"),
    (r"(?i)remind me later\.?", "line", "donation appeal: button"),
    (r"(?i)a message from .{1,80}:", "tail", "donation appeal at the foot of a page"),
    (r"(?i)(…|\.\.\.)?\s*we have a small favou?r to ask\..*", "tail",
     "donation appeal at the foot of a page"),
    # Promotional lines and links to other stories.
    (r"(?i)read more\.?", "line", "'Read more' link"),
    (r"(?i)related (articles|stories|coverage)", "line", "'Related Articles'"),
    (r"(?i)back to top( button)?", "line", "'Back to top button'"),
    (r"(?i)click here\b.*", "line", "'CLICK HERE' line"),
    (r"(?i)(sign up|subscribe) (for|to) (our|the) .{0,60}newsletter.*", "line",
     "newsletter sign-up"),
    # A line in capitals of four words or more: another story's promotional headline.
    (r"(?=(?:\S+\s+){3}\S)[^a-z]+", "line", "promotional headline in capitals"),
    # Captions and credits.
    (r"(?i)(image|photo|photograph|picture|credit|video)s?( credit)?:\s*.{1,120}", "line",
     "image credit line"),
    (r".{1,300}[.!?]\s+[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,6}", "line",
     "photo caption ending with its credit ('... training ground. mil.ru')"),
    # A line of symbols only: a close button ("×"), a divider.
    (r"[^\w]{1,5}", "line", "symbols only"),
    # An author's bio line: "Mark Episkopos is a national security reporter for ...".
    (r"[A-Z][\w.'’-]+(\s+[A-Z][\w.'’-]+){1,3} is an? .{0,80}\b(reporter|correspondent|editor"
     r"|writer|journalist|columnist|contributor)\b.*\.", "line", "author bio line"),
]


def add_rules(apps, schema_editor):
    BoilerplateRule = apps.get_model("facts", "BoilerplateRule")
    BoilerplateRule.objects.bulk_create(
        BoilerplateRule(outlet=None, pattern=pattern, kind=kind, description=description)
        for pattern, kind, description in GENERAL_RULES
    )


def remove_rules(apps, schema_editor):
    BoilerplateRule = apps.get_model("facts", "BoilerplateRule")
    patterns = [pattern for pattern, _kind, _description in GENERAL_RULES]
    BoilerplateRule.objects.filter(outlet=None, pattern__in=patterns).delete()


class Migration(migrations.Migration):
    dependencies = [("facts", "0017_article_capture_boilerplate_rules")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
