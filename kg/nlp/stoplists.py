"""General-English word lists that keep extraction from naming things nobody would study.

They are about English, not about any one deck: generic nouns ("benefit", "way"), modifiers that
only grade or count ("several", "key"), and instruction verbs that open flashcard questions
("Explain", "Outline") which a tagger sometimes takes for proper nouns. Entries are lower-case
singular keys, compared with the output of `normalize_key`.
"""

from __future__ import annotations

import keyword


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A term made only of these is not a concept on its own. The clipped forms of general nouns are
# listed with them ("info", "intro"): word frequency (kg.nlp.generic) cannot call them
# general, a clipping is rarer than the word it stands for ("info" Zipf 4.6, "information" 5.4).
GENERIC_NOUNS = _words(
    """
    ability account achievement act action activity addition advance advantage amount analysis
    answer approach area argument arrangement article aspect assumption attempt 
    attribute available basis behavior behaviour benefit bit blank body capability capacity case
    category cause center centre challenge chance change character characteristic choice claim
    class combination comparison component concept concern condition consequence consideration
    context contrast contribution control core cost couple course create criterion data deal
    definition degree demand description design detail development difference difficulty
    dimension direction disadvantage discussion distinction domain drawback effect effort element
    end entity environment equivalent event evidence example exception existence expectation
    experience explanation expression extent fact factor failure fashion field figure
    focus form format formula framework function functionality gain goal good group guide help
    hint idea impact implementation importance improvement increase information input instance
    insight interest issue item kind knowledge lack level limit limitation line list lot manner
    matter meaning means measure mechanism member method mode need note notion number object
    objective observation occurrence operation opportunity option order outcome output overview
    part participant particular performance period person phase piece place plan point portion
    possibility practice presence principle priority problem procedure process product property
    proposal purpose quality quantity question range rate reason reference region relation
    relationship report representation requirement research resource respect response rest
    result role rule scenario scope section sense series set setting side sign situation size
    solution something sort source space stage standard start state statement status step stuff
    style subject success suggestion summary support system task technique term test thing time
    tip title tool topic total type understanding unit usage use user value variety version view
    way whole word work reading significance introduction intro yes no ok okay
    info
    advance alternative benefit disadvantage drawback pro con
    people person someone everyone anyone thing things everything anything nothing
    today tomorrow yesterday year month week day hour minute second
    paper method work study author result approach
    """
)

# Modifiers that grade, count or point rather than name; they are cut from the front of a term
# ("several challenges", "key differences", "new patterns").
GENERIC_MODIFIERS = _words(
    """
    several different various key main new additional multiple other such specific certain
    many more most much same own entire overall primary important significant good better best
    great whole particular possible potential typical common general simple actual basic
    previous current initial final following above below given respective corresponding
    relevant appropriate effective efficient robust seamless comprehensive detailed diverse
    desired required necessary crucial critical essential major minor proper complete full
    numerous few first second third last next only certain usual various extra further
    similar like unlike related specific particular original existing standard traditional
    modern recent latest early late high low higher lower large larger small smaller big huge
    long short true false real actual effective useful helpful easy hard difficult fast faster
    quick slow better worse optimal ideal central primary secondary clear unique single
    individual overall total prior subsequent respective broad wide narrow deep detailed
    exact precise reliable consistent efficient flexible powerful advanced popular widely
    fundamental core essential notable known unknown brief lasting
    existing changing growing increasing decreasing remaining following underlying resulting
    emerging evolving leading ongoing upcoming varying surrounding corresponding
    improved increased reduced enhanced decreased
    """
)

# Modifiers of that list that also classify: before a noun that is not generic they name a kind
# ("current assets", "standard error", "major scale", "central limit theorem", "useful life",
# "leading tone") rather than grade one instance; before a generic noun the term is still nothing
# ("major challenges"). Words that mostly count or grade in prose ("single server", "simple
# setup", "total tweets") are not among them.
KIND_MODIFIERS = _words(
    """
    current standard major minor central leading useful individual effective secondary primary core
    true false
    """
)

# Words that open a flashcard question or instruction; never part of a concept at its start.
INSTRUCTION_WORDS = _words(
    """
    explain describe define outline compare contrast list name discuss summarize summarise
    identify give state illustrate elaborate mention provide show what why how when which who
    whose where example e.g i.e etc vs versus
    """
)

# Head nouns that only classify the term before them: "MLOps practices" names MLOps, "Level 0
# processes" names nothing. They are dropped from the end of a longer term. (Not "level", "factor",
# "type", "step", "stage", "phase", "part", "area": "sea level", "crop factor", "blood type",
# "surface area" are terms of their own.)
LIGHT_HEADS = _words(
    """
    practice tool technique method approach process strategy issue challenge benefit capability
    functionality thing aspect purpose way kind sort form
    scenario setting option concern consideration question topic
    purpose problem task
    """
)

# Nouns that point into a document rather than name a thing: "Figure 3" and "Step 2" are not
# concepts, while "Level 2" or "Base 62" are.
REFERENCE_NOUNS = _words(
    """
    figure fig table eq equation section chapter page appendix line row column step example
    exercise question answer slide item note lecture week day year part top paragraph listing
    algorithm theorem lemma definition footnote reference ref image picture
    """
)

# Units of measure: "2 MB", "10 ms", "380,000 yr", "20 min" name a quantity, not a concept ("ML" and
# "DL" are left out: machine and deep learning far more often than millilitres and decilitres; "HR",
# heart rate, more often than hours). The words that count as units do ("thousands of flips",
# "5 million users") name no concept either.
UNITS = _words(
    """
    b kb mb gb tb pb kib mib gib tib kbps mbps gbps ms ns us sec msec min mins hz khz mhz ghz
    rpm qps rps tps fps px pt
    km cm mm nm kg mg mcg yr yrs kpa kcal mmol
    thousand million billion trillion
    """
)

# Nouns in spaCy's stop-word list for their other uses ("on top of", "a call to", "the other
# side"): as the first noun of a compound they name a thing ("side effect", "call stack", "back
# end", "bottom layer"); alone they still name nothing. ("name" and "part" lead phrases as often:
# "name initial", "part two".)
COMPOUND_STOP_NOUNS = _words("back bottom call front side top")

# Keywords of programming languages, lower case: the grammar of a line of code, not a name in it
# (Python's own, and the common ones of other languages a card quotes).
CODE_KEYWORDS = frozenset(w.lower() for w in keyword.kwlist) | _words(
    "def var let const func fn null nil void int print"
)

# A learner's shorthand for a function word, written in lower case ("bc" because, "w/" with,
# "esp" especially): joins or qualifies, names nothing, and breaks a term ("AC bc transformers"
# named "ac bc"). Upper case stays a name ("BC", "ESP").
SHORTHAND = frozenset({"bc", "bcs", "cuz", "coz", "w/", "w/o", "esp", "approx", "abt", "btw", "thru", "tho", "wrt",
                       "incl", "aka"})
