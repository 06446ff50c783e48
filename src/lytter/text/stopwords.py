"""The commonest function words of Danish and English: Snowball's stop word lists.

From the Snowball project (snowballstem.org, BSD licence), as NLTK and most search engines
ship them. Uses: a post's themes and key phrases leave them out, and the search index is
never asked for them (`lytter.text.index`): each is in nearly every post, so it narrows
nothing and costs most of the index's upkeep.
"""

from __future__ import annotations

_DANISH = """
og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har
om vi min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal
selv her alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne
end dette mit også under have dig anden hende mine alt meget sit sine vor mod disse hvis
din nogle hos blive mange ad bliver hendes været thi jer sådan
"""

_ENGLISH = """
i me my myself we our ours ourselves you your yours yourself yourselves he him his
himself she her hers herself it its itself they them their theirs themselves what which
who whom this that these those am is are was were be been being have has had having do
does did doing would should could ought i'm you're he's she's it's we're they're i've
you've we've they've i'd you'd he'd she'd we'd they'd i'll you'll he'll she'll we'll
they'll isn't aren't wasn't weren't hasn't haven't hadn't doesn't don't didn't won't
wouldn't shan't shouldn't can't cannot couldn't mustn't let's that's who's what's here's
there's when's where's why's how's a an the and but if or because as until while of at
by for with about against between into through during before after above below to from
up down in out on off over under again further then once here there when where why how
all any both each few more most other some such no nor not only own same so than too
very
"""

DANISH = frozenset(_DANISH.split())
ENGLISH = frozenset(_ENGLISH.split())
STOPWORDS = {"da": DANISH, "en": ENGLISH}
