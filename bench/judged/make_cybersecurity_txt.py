"""Write bench/judged/decks/cybersecurity/cybersecurity.txt with Anki's own library: `python bench/judged/make_cybersecurity_txt.py`.

A held-out deck for bench/concept_eval.py (HELDOUT_TENTH), written as a security student's Anki notes
are and exported as Anki's own "Notes in Plain Text" file (File > Export, with HTML, tags, deck,
note type and guid): the notes are added to a new collection made by Anki's library (the `anki`
package), then `Collection.export_note_csv` writes the file, with its `#separator:tab`, `#html:true`,
`#guid column:`, `#notetype column:`, `#deck column:` and `#tags column:` headers. Basic and Cloze
notes (one cloze of two gaps, some with a Back Extra, some without) in sub-decks of `Cybersecurity`,
tags on most notes and none on two, fields in Anki's HTML (`<b>`, `<i>`, `<br>`, `<code>`, `<div>`,
`&nbsp;`, a `<ul>` and an `<ol>` list, `&lt;`/`&gt;`), acronyms introduced once and used bare (MFA,
XSS, CSRF, CA, MITM), the abbreviations and typos a student writes ("priviledge", "authentification",
"creds", "org", "bc", "w/", "e.g."). Each note has a fixed guid in Anki's own alphabet, so the judged
cards (bench/judged/gold_concepts.json, keyed by guid) stay the same cards when the file is written
again (the export carries no note id or timestamp, so it is the same file each time).
"""

from __future__ import annotations

import sys
from pathlib import Path

from anki_package import collection_with  # beside this script

OUT = Path(__file__).resolve().parent / "decks" / "cybersecurity" / "cybersecurity.txt"

BASICS = "Cybersecurity::Fundamentals"
WEB = "Cybersecurity::Web security"
CRYPTO = "Cybersecurity::Cryptography"
NETWORK = "Cybersecurity::Network security"
THREATS = "Cybersecurity::Threats"

# (guid, deck, note type, fields, tags)
NOTES = [
    ("kQ7%vR2m!x", BASICS, "Basic",
     ["CIA triad",
      "<b>Confidentiality</b> - only authorised people can read the data<br>"
      "<b>Integrity</b> - data can't be changed without it being detected<br>"
      "<b>Availability</b> - systems and data are there when they're needed"],
     ["fundamentals"]),
    ("Fz3)Lp9w@c", BASICS, "Cloze",
     ["{{c1::Defence in depth}} means layering several independent security controls so that one of them "
      "failing doesn't expose the whole system.",
      "e.g. firewall + MFA + encryption at rest + logging/monitoring"],
     ["fundamentals"]),
    ("b8N]tY4q&e", BASICS, "Basic",
     ["Authentification vs authorization",
      "<b>Authentication</b> (authn): proving who you are - password, token, biometrics.<br>"
      "<b>Authorization</b> (authz): what you're allowed to do once you're identified, e.g. RBAC roles."
      "<br>Authn always comes first."],
     ["fundamentals", "identity"]),
    ("Wd1^gH6s*u", BASICS, "Basic",
     ["Why is MFA more secure than a password on its own?",
      "An attacker needs two different <i>factors</i>:<ul><li>something you know (password, PIN)</li>"
      "<li>something you have (phone, hardware key)</li><li>something you are (fingerprint)</li></ul>"
      "A phished or leaked password alone isn't enough to log in."],
     ["identity"]),
    ("pX5~cM0n+j", BASICS, "Basic",
     ["Principle of least priviledge",
      "Give every user, process and service only the permissions it needs to do its job and nothing "
      "more.<br>Limits the blast radius when an account gets compromised."],
     ["fundamentals", "identity"]),
    ("Hs9/eK3z<a", WEB, "Basic",
     ["What is SQL injection and how do you prevent it?",
      "Untrusted input is pasted into a SQL query so the attacker changes the query's logic, e.g. "
      "<code>' OR '1'='1</code> typed into a login form.<br>Prevent it with <b>parameterized queries</b> "
      "(prepared statements) instead of string concatenation; input validation and a least-privilege DB "
      "account help too."],
     ["web", "owasp"]),
    ("r4V>yT8b?o", WEB, "Basic",
     ["XSS",
      "<b>Cross-site scripting</b>: the attacker's JavaScript runs in another user's browser bc the site "
      "echoes input back without escaping it (e.g. <code>&lt;script&gt;</code> in a comment).<ul>"
      "<li>Stored - saved in the DB</li><li>Reflected - comes back in the response to a crafted URL</li>"
      "<li>DOM-based - client-side JS writes it into the page</li></ul>"
      "Defence: output encoding, a Content Security Policy (CSP), HttpOnly cookies."],
     ["web", "owasp"]),
    ("Gm2[uJ7d=i", WEB, "Cloze",
     ["{{c1::Cross-site request forgery}} (CSRF) tricks a logged-in user's browser into sending a "
      "request the user never meant to send, riding on their session cookie.",
      "Defended w/ anti-CSRF tokens and the <code>SameSite</code> cookie attribute."],
     ["web", "owasp"]),
    ("c6Z}iL1f%h", CRYPTO, "Basic",
     ["Symmetric vs asymmetric encryption",
      "<b>Symmetric</b>: one shared secret key encrypts and decrypts (AES). Fast, but the key has to be "
      "shared securely first.<br><b>Asymmetric</b> (public-key): a key pair - the public key encrypts, "
      "the private key decrypts (RSA, ECC). Much slower; used for key exchange and digital signatures."],
     ["crypto"]),
    ("Qe0!nB5k$r", CRYPTO, "Basic",
     ["Why shouldn't passwords be stored with a plain hash like MD5 or SHA-256?",
      "General-purpose hashes are <i>fast</i>, so an attacker with a leaked table of hashes can try "
      "billions of guesses a second (brute force, dictionary attacks, rainbow tables).<br>Use a slow, "
      "salted password hashing function instead: <b>bcrypt</b>, scrypt or Argon2."],
     ["crypto", "passwords"]),
    ("y3T(oP8v#l", CRYPTO, "Basic",
     ["What does a salt do?",
      "A random value stored next to each password hash and mixed in before hashing, so two users with "
      "the same password get different hashes and precomputed rainbow tables are useless."],
     ["crypto", "passwords"]),
    ("Lk7@wE2g^p", CRYPTO, "Basic",
     ["Digital signature - how does it work?",
      "<div>The sender hashes the message and signs the hash with their <b>private key</b>; anyone can "
      "check it with the sender's <b>public key</b>.</div><div>Gives integrity, authentication and "
      "non-repudiation (NOT confidentiality).</div>"],
     ["crypto"]),
    ("sA4&xF9c)n", CRYPTO, "Basic",
     ["TLS handshake (simplified)",
      "<ol><li>Client hello: the cipher suites it supports + a random</li><li>Server hello + its "
      "<b>certificate</b> (signed by a CA)</li><li>Client verifies the cert chain up to a trusted root"
      "</li><li>Key exchange (ECDHE) → both sides get the same session key</li><li>Everything after "
      "that is encrypted with symmetric encryption</li></ol>"],
     ["crypto", "network"]),
    ("Nv8*jR3t]d", CRYPTO, "Cloze",
     ["A {{c1::certificate authority}} (CA) signs certificates that bind a public key to a domain name; "
      "browsers trust a built-in set of {{c2::root certificates}}.",
      "Part of the PKI (public key infrastructure)."],
     ["crypto"]),
    ("e1U?mD6y{b", NETWORK, "Basic",
     ["Firewall: stateful vs stateless",
      "<b>Stateless</b> (packet filter): judges each packet on its own by source/dest IP, port and "
      "protocol.<br><b>Stateful</b>: tracks connections, so reply traffic for an established connection "
      "is let back in automatically.&nbsp;"],
     ["network"]),
    ("Zo5+hG0a~w", NETWORK, "Basic",
     ["What is a man-in-the-middle attack?",
      "The attacker secretly sits between two parties and relays their traffic, so they can read or "
      "change it - e.g. a rogue Wi-Fi hotspot, ARP spoofing on a LAN.<br>TLS with proper certificate "
      "validation defeats most MITM attacks."],
     ["network"]),
    ("t2X=bN7e|q", THREATS, "Basic",
     ["Phishing vs spear phishing",
      "Phishing: mass emails pretending to come from a trusted sender, to steal creds or get malware "
      "opened.<br>Spear phishing: aimed at one person or org and uses personal details to look "
      "believable. (Whaling = spear phishing aimed at execs.)"],
     ["threats", "social-engineering"]),
    ("Ji6$sV1r-k", THREATS, "Basic",
     ["Ransomware",
      "Malware that encrypts the victim's files and demands a payment (usually in crypto) for the "
      "decryption key; many gangs now also steal the data first and threaten to leak it (double "
      "extortion).<br>Best defence: offline, tested backups + patching."],
     ["threats", "malware"]),
    ("Rb9<lQ4i@f", THREATS, "Basic",
     ["Zero-day?",
      "A vulnerability that the vendor doesn't know about yet or hasn't patched, so they've had "
      "<i>zero days</i> to fix it.<br>A zero-day exploit attacks it before any patch exists."],
     []),
    ("uC3]kW8o!s", THREATS, "Cloze",
     ["A {{c1::DDoS}} attack floods a service with traffic from many compromised machines (a botnet) so "
      "that legit users can't reach it.",
      ""],
     []),
]


def build(out: Path = OUT) -> Path:
    """Add NOTES to a new collection and export them as Anki's "Notes in Plain Text" file to `out`
    (HTML kept, tags, deck, note type and guid columns); returns `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with collection_with(NOTES) as col:
        col.export_note_csv(out_path=str(out), limit=None, with_html=True, with_tags=True,
                            with_deck=True, with_notetype=True, with_guid=True)
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
