"""Write bench/judged/decks/genetics/genetics.apkg with Anki's own library: `python bench/judged/make_genetics_apkg.py`.

A held-out deck for bench/concept_eval.py (HELDOUT_TWELFTH), written as a biology student's Anki notes on
genetics are: Basic, "Basic (and reversed card)" and Cloze notes (clozes of one to three gaps, one with an
empty Back Extra) in sub-decks of `Genetics`, tags with a `::` hierarchy (`genetics::mendel`) on most notes
and none on two, fields in Anki's HTML (`<b>`, `<i>`, `<u>`, `<br>`, a `<ul>` and an `<ol>` list, a `<div>`,
`&nbsp;`, `&gt;`, `<sup>` in a cross ratio), gene and allele symbols in italics (<i>Aa</i>, <i>BRCA1</i>),
acronyms introduced once and used bare elsewhere (SNP, PCR, mRNA, tRNA), the abbreviations and typos a
student writes ("w/", "e.g.", "approx", "b/c", "chromosone", "recesive", "Meoisis", "phenotpye"). Each note
has a fixed guid, so the judged cards (bench/judged/gold_concepts.json, keyed by guid) stay the same cards
when the package is written again; Anki's note ids and timestamps change on every run, so the .apkg in the
repository is the one the judgement was made on.
"""

from __future__ import annotations

import sys
from pathlib import Path

from anki_package import write_package  # beside this script

OUT = Path(__file__).resolve().parent / "decks" / "genetics" / "genetics.apkg"

MENDEL = "Genetics::Mendelian inheritance"
MOLECULAR = "Genetics::Molecular genetics"
MUTATION = "Genetics::Mutation and variation"
POPULATION = "Genetics::Population genetics"

# (guid, deck, note type, fields, tags)
NOTES = [
    ("Gnt12-01", MENDEL, "Basic (and reversed card)",
     ["Allele",
      "One of two or more alternative forms of a <b>gene</b> at the same <i>locus</i> on a chromosome.<br>"
      "e.g. the pea-colour gene has a yellow allele (<i>Y</i>) and a green allele (<i>y</i>)."],
     ["genetics::mendel"]),
    ("Gnt12-02", MENDEL, "Basic",
     ["Genotype vs phenotpye",
      "<b>Genotype</b>: the alleles an organism carries (<i>Aa</i>).<br><b>Phenotype</b>: the traits you can "
      "observe (tall, purple flowers), which come from the genotype <u>and</u> the environment."],
     ["genetics::mendel"]),
    ("Gnt12-03", MENDEL, "Cloze",
     ["Mendel's {{c1::law of segregation}}: the two alleles of a gene separate during {{c2::gamete}} "
      "formation, so each gamete carries only one.",
      "Gregor Mendel, pea plants, published 1866, ignored until 1900."],
     ["genetics::mendel"]),
    ("Gnt12-04", MENDEL, "Basic",
     ["What ratio does a monohybrid cross of two heterozygotes give?",
      "<i>Aa</i> × <i>Aa</i> → 1 <i>AA</i> : 2 <i>Aa</i> : 1 <i>aa</i> genotypes, so a <b>3:1</b> phenotype "
      "ratio when <i>A</i> is dominant.<br>Draw it w/ a Punnett square."],
     ["genetics::mendel::crosses"]),
    ("Gnt12-05", MENDEL, "Basic",
     ["Law of independent assortment",
      "Alleles of different genes go into gametes independently of one another - <i>only</i> true for genes "
      "on different chromosomes (or far apart on the same one).<br>Dihybrid cross: 9:3:3:1."],
     ["genetics::mendel"]),
    ("Gnt12-06", MENDEL, "Basic",
     ["Incomplete dominance vs codominance",
      "<ul><li><b>Incomplete dominance</b>: the heterozygote is in between (red × white snapdragons → "
      "pink)</li><li><b>Codominance</b>: both alleles show fully (AB blood type, roan cattle)</li></ul>"],
     ["genetics::mendel"]),
    ("Gnt12-07", MENDEL, "Basic",
     ["Why do X-linked recesive disorders affect mostly males?",
      "Males are hemizygous: one X chromosone (XY), so a single recessive allele on the X shows. Females "
      "need two copies and are usually just <b>carriers</b>.<br>e.g. haemophilia A, red-green colour "
      "blindness, Duchenne muscular dystrophy."],
     ["genetics::mendel::sex-linkage"]),
    ("Gnt12-08", MOLECULAR, "Basic",
     ["Central dogma of molecular biology",
      "DNA → RNA → protein (Francis Crick, 1958).<br><b>Transcription</b> makes mRNA from DNA; "
      "<b>translation</b> makes a polypeptide from mRNA on the ribosome."],
     ["genetics::molecular"]),
    ("Gnt12-09", MOLECULAR, "Cloze",
     ["DNA replication is {{c1::semi-conservative}}: each new double helix keeps one {{c2::parental "
      "strand}} (Meselson–Stahl experiment, 1958).",
      "<b>DNA polymerase</b> can only add nucleotides to the 3' end, so the lagging strand is made in "
      "Okazaki fragments."],
     ["genetics::molecular::replication"]),
    ("Gnt12-10", MOLECULAR, "Basic",
     ["How does a tRNA read the genetic code?",
      "Each tRNA carries one amino acid and has an <b>anticodon</b> that base-pairs with a codon (3 "
      "bases) on the mRNA.<br>The code is <i>degenerate</i>: 61 sense codons for 20 amino acids, plus 3 "
      "stop codons."],
     ["genetics::molecular::translation"]),
    ("Gnt12-11", MOLECULAR, "Basic",
     ["Promoter",
      "A DNA sequence upstream of a gene where <b>RNA polymerase</b> and transcription factors bind to "
      "start transcription (e.g. the TATA box in eukaryotes)."],
     ["genetics::molecular::transcription"]),
    ("Gnt12-12", MOLECULAR, "Basic",
     ["What happens in RNA splicing?",
      "The <b>spliceosome</b> cuts the <i>introns</i> out of the pre-mRNA and joins the <i>exons</i>."
      "<br>Alternative splicing lets one gene code for several proteins."],
     ["genetics::molecular::transcription"]),
    ("Gnt12-13", MOLECULAR, "Basic",
     ["lac operon",
      "<div>A cluster of genes in <i>E. coli</i> for using lactose, switched on together:</div><ol>"
      "<li>no lactose → the <b>lac repressor</b> binds the operator, blocking transcription</li>"
      "<li>lactose present → allolactose binds the repressor, which lets go</li>"
      "<li>glucose low → cAMP-CAP boosts transcription further</li></ol>"],
     ["genetics::molecular::gene-regulation"]),
    ("Gnt12-14", MUTATION, "Basic",
     ["Point mutation types",
      "<ul><li><b>silent</b>: same amino acid</li><li><b>missense</b>: a different amino acid (sickle cell: "
      "Glu → Val in β-globin)</li><li><b>nonsense</b>: a premature stop codon</li></ul>"
      "Insertions/deletions not in multiples of 3 cause a <b>frameshift</b>."],
     ["genetics::mutation"]),
    ("Gnt12-15", MUTATION, "Cloze",
     ["A {{c1::single nucleotide polymorphism}} (SNP) is a one-base difference in the DNA sequence "
      "that is common in a population (&gt;1%).",
      "approx 4–5 million SNPs per human genome; used in GWAS."],
     ["genetics::variation"]),
    ("Gnt12-16", MUTATION, "Basic",
     ["Meoisis - why does crossing over matter?",
      "During prophase I, homologous chromosomes swap segments at <b>chiasmata</b>, making new "
      "combinations of alleles (<i>recombination</i>).<br>More variation b/c gametes aren't copies of the "
      "parent's chromosomes. Recombination frequency is used for <b>linkage maps</b> (1% = 1 centimorgan)."],
     ["genetics::meiosis"]),
    ("Gnt12-17", MUTATION, "Basic",
     ["Nondisjunction",
      "Chromosomes fail to separate properly in meiosis, giving gametes with an extra or missing "
      "chromosome (<b>aneuploidy</b>).<br>e.g. Down syndrome = trisomy 21; Turner syndrome = XO."],
     ["genetics::meiosis", "genetics::mutation"]),
    ("Gnt12-18", POPULATION, "Basic",
     ["Hardy-Weinberg equilibrium",
      "p<sup>2</sup> + 2pq + q<sup>2</sup> = 1 (p + q = 1 for two alleles).<br>Allele frequencies stay "
      "the same across generations if: no mutation, random mating, no selection, a very large population, "
      "no gene flow."],
     ["genetics::population"]),
    ("Gnt12-19", POPULATION, "Basic",
     ["Genetic drift vs natural selection",
      "<b>Drift</b>: random changes in allele frequencies, strongest in small populations (bottleneck, "
      "founder effect).<br><b>Selection</b>: non-random, alleles that raise fitness get more common."],
     []),
    ("Gnt12-20", MOLECULAR, "Cloze",
     ["{{c1::PCR}} (polymerase chain reaction) copies a DNA segment in cycles of {{c2::denaturation}} "
      "(95&nbsp;°C), {{c2::annealing}} of primers and {{c3::extension}} by <i>Taq</i> polymerase.",
      ""],
     []),
]


def build(out: Path = OUT) -> Path:
    return write_package(NOTES, out)


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
