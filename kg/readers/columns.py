"""The names people give a deck's columns, in the languages decks are kept in: a first row of them is
a header (`kg.readers.delimited`, `kg.readers.tables`), and they say which column asks and which answers."""

from __future__ import annotations

# Column names in English first, then as people name them in the languages decks are often kept in
# (German, French, Spanish, Italian, Portuguese, Dutch, Scandinavian, Polish, Russian, Japanese, Chinese),
# Anki's own field names among them (`kg.readers.anki.stock`: 表面/裏面, Przód/Tył, Texte/Verso Extra).
QUESTION_COLUMNS = ("question", "front", "term", "text", "prompt", "q", "word", "recto",
                     "frage", "vorderseite", "begriff", "wort", "terme", "pregunta", "anverso", "término",
                     "termino", "palabra", "domanda", "fronte", "termine", "pergunta", "frente", "vraag",
                     "voorkant", "fråga", "spørgsmål", "spørsmål", "pytanie", "przód", "вопрос", "термин", "質問",
                     "問題", "表", "表面", "问题", "正面", "texte", "texto", "tekst", "текст", "テキスト",
                     # Anki's Basic `Front` in more of its languages (tr, vi, cs, sv, uk, fi, hu, id, da, nb, el, ro, ar, he)
                     "ön", "mặt trước", "líc", "framsida", "передня сторона", "etupuoli", "előlap", "depan",
                     "forside", "μπροστά", "față", "أمام", "קדמי")
ANSWER_COLUMNS = ("answer", "back", "definition", "a", "meaning", "verso", "response",
                   "antwort", "rückseite", "bedeutung", "réponse", "reponse", "définition", "respuesta",
                   "reverso", "definición", "definicion", "significado", "risposta", "retro", "definizione",
                   "resposta", "definição", "antwoord", "achterkant", "betekenis", "svar", "odpowiedź", "tył",
                   "ответ", "определение", "答え", "解答", "裏", "裏面", "答案", "背面",
                   # and its `Back`
                   "geri", "mặt sau", "rub", "baksida", "зворотна сторона", "kääntöpuoli", "hátlap", "belakang",
                   "bagside", "bakside", "πίσω", "خلف", "אחורי")
EXTRA_COLUMNS = ("explanation", "extra", "notes", "note", "back extra", "remarks",
                  "erklärung", "anmerkung", "anmerkungen", "notizen", "bemerkung", "explication", "remarque",
                  "explicación", "notas", "spiegazione", "explicação", "uitleg", "opmerking", "пояснение",
                  "примечание", "解説", "备注", "rückseite extra", "verso extra", "reverso extra", "retro extra",
                  "tył dodatkowy", "дополнение оборота", "裏面の追加情報", "背面额外")
META_COLUMNS = ("guid", "id", "tags", "tag", "deck", "notetype", "note type", "note_type")
TAG_COLUMNS = ("tags", "tag", "schlagwörter", "schlagworte", "stichwörter", "étiquettes", "etiquettes",
                "etiquetas", "etichette", "labels", "tagi", "теги", "метки", "タグ", "标签")
DECK_COLUMNS = ("deck", "stapel", "paquet", "mazo", "mazzo", "baralho", "kaartenset", "колода", "デッキ", "牌组")
KNOWN_COLUMNS = frozenset(QUESTION_COLUMNS + ANSWER_COLUMNS + EXTRA_COLUMNS + META_COLUMNS + TAG_COLUMNS + DECK_COLUMNS)
