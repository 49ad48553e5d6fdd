"""Outcomes: a report of a held event states it in the words of its kind (a score, a
winner, a turnout, a verdict, a crowd, an arrival), rarely as "took place"; the same words
after a future or a wish are an outcome to come, and of another edition they are
background. Sentences written for these tests, in German and English, kind by kind."""

from __future__ import annotations

import pytest

from schemas import Status
from tests.unit.extraction_text import extracted


def _claims(text: str, language: str) -> list[tuple[str, Status, bool]]:
    return [(m.type, m.status, m.background) for m in extracted(text, language)]


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ('Liverpool scored twice late on in the derby against Everton at Anfield on Sunday.', "en", "match"),
        ('Real Madrid secured a 3-0 win in the match against Barcelona in Madrid.', "en", "match"),
        ('Lewis Hamilton took the chequered flag at the British Grand Prix at Silverstone on Sunday.', "en", "race"),
        ('The Kenyan runner Eliud Kipchoge crossed the finish line first in the Berlin Marathon on Sunday.', "en", "race"),
        ('The Kenyan runner Peres Jepchirchir claimed the victory in the New York City Marathon in a course record.', "en", "race"),
        ('The driver Max Verstappen triumphed at the Austrian Grand Prix in Spielberg on Sunday.', "en", "race"),
        ("Spain lifted the trophy at the Women's World Cup in Sydney on Sunday.", "en", "tournament"),
        ('Argentina were crowned champions at the World Cup in Qatar.', "en", "tournament"),
        ('Voters in Poland cast their ballots in the parliamentary election on Sunday.', "en", "election"),
        ('The president Emmanuel Macron was re-elected in the presidential election in France.', "en", "election"),
        ('The Social Democrats emerged as the largest party in the parliamentary election in Sweden.', "en", "election"),
        ('The Falcon 9 rocket of the company SpaceX reached orbit after the launch from Cape Canaveral on Tuesday.', "en", "launch"),
        ('The launch of the company SpaceX from Cape Canaveral went off without a hitch on Tuesday.', "en", "launch"),
        ('The Ariane 6 rocket took off from Kourou on its maiden flight on Tuesday evening.', "en", "launch"),
        ('The Roskilde festival in Denmark attracted a record crowd of 130,000 people.', "en", "festival"),
        ('The king Charles III was received by the president Emmanuel Macron at the start of his state visit to France.', "en", "visit"),
        ('The president Joe Biden toured a factory in Berlin on the first day of his visit to Germany.', "en", "visit"),
        ('The king Charles III addressed the Bundestag during his state visit to Germany.', "en", "visit"),
        ('The climate conference in Glasgow closed with a deal on coal on Saturday.', "en", "conference"),
        ('The leaders adopted a final declaration at the G20 summit in New Delhi.', "en", "summit"),
        ('The trade talks between the United States and China in Geneva broke down on Monday.', "en", "negotiation_round"),
        ('The former president Donald Trump pleaded not guilty at the start of his trial in New York.', "en", "trial"),
        ('Workers of the company Amazon downed tools in a strike at the warehouse in Leipzig on Monday.', "en", "strike"),
        ('Pilots of the airline Lufthansa walked off the job in a strike on Friday, grounding hundreds of flights.', "en", "strike"),
        ('Shareholders of the company Tesla approved the pay package at the annual general meeting in Austin.', "en", "shareholder_meeting"),
        ('The company Siemens posted a net profit of 2 billion euros in its quarterly results on Thursday.', "en", "earnings_call"),
        ('Der FC Bayern feierte im Derby gegen den TSV 1860 einen 3:0-Sieg.', "de", "match"),
        ('Im Spiel gegen Werder Bremen erzielte Borussia Dortmund zwei Tore.', "de", "match"),
        ('Der Fahrer Max Verstappen holte beim Großen Preis von Österreich in Spielberg den Sieg.', "de", "race"),
        ('Der Läufer Eliud Kipchoge überquerte beim Berlin-Marathon als Erster die Ziellinie.', "de", "race"),
        ('Der Fahrer Lando Norris fuhr beim Großen Preis der Niederlande in Zandvoort aufs Podium.', "de", "race"),
        ('Die Läuferin Amane Gobena lief beim Hamburg-Marathon einen Streckenrekord.', "de", "race"),
        ('Spanien holte bei der Weltmeisterschaft in Australien den Titel.', "de", "tournament"),
        ('Argentinien wurde bei der Weltmeisterschaft in Katar Weltmeister.', "de", "tournament"),
        ('Die CDU wurde bei der Landtagswahl in Sachsen stärkste Kraft.', "de", "election"),
        ('Der Präsident Emmanuel Macron wurde bei der Präsidentschaftswahl in Frankreich wiedergewählt.', "de", "election"),
        ('Bei der Parlamentswahl in Polen gaben die Wähler am Sonntag ihre Stimme ab.', "de", "election"),
        ('Die Iren lehnten beim Referendum in Irland den Vorschlag mit 67 Prozent ab.', "de", "referendum"),
        ('Der Raketenstart der Firma SpaceX in Cape Canaveral verlief erfolgreich.', "de", "launch"),
        ('Das Oktoberfest in München lockte in diesem Jahr sechs Millionen Besucher an.', "de", "festival"),
        ('Die Veranstalter des Festivals in Wacken zogen eine positive Bilanz.', "de", "festival"),
        ('Der König Charles III. wurde beim Staatsbesuch in Berlin von Bundespräsident Steinmeier begrüßt.', "de", "visit"),
        ('Der König Charles III. hielt bei seinem Staatsbesuch in Deutschland eine Rede im Bundestag.', "de", "visit"),
        ('Der Präsident Joe Biden besichtigte bei seinem Besuch in Berlin eine Fabrik.', "de", "visit"),
        ('Die Staats- und Regierungschefs verabschiedeten beim G20-Gipfel in Neu-Delhi eine Abschlusserklärung.', "de", "summit"),
        ('Beim Nato-Gipfel in Vilnius einigten sich die Staats- und Regierungschefs auf einen Plan.', "de", "summit"),
        ('Die Tarifverhandlungen zwischen Verdi und der Lufthansa in Frankfurt endeten ergebnislos.', "de", "negotiation_round"),
        ('Die Friedensgespräche zwischen Russland und der Ukraine in Istanbul blieben ohne Ergebnis.', "de", "negotiation_round"),
        ('In der Tarifrunde einigten sich die Gewerkschaft Verdi und die Lufthansa auf einen Abschluss.', "de", "negotiation_round"),
        ('Am neuen Flughafen BER in Schönefeld landeten am Sonntag die ersten Passagiere nach der Eröffnung.', "de", "opening"),
        ('Das Landgericht Frankfurt verurteilte den Angeklagten Stephan Ernst im Prozess zu lebenslanger Haft.', "de", "trial"),
        ('Wegen des Streiks der Gewerkschaft GDL fielen bei der Deutschen Bahn zahlreiche Züge aus.', "de", "strike"),
        ('Der Film Oppenheimer wurde bei der Oscar-Verleihung in Los Angeles als bester Film ausgezeichnet.', "de", "ceremony"),
        ('Die Sängerin Billie Eilish nahm bei der Grammy-Verleihung in Los Angeles fünf Preise entgegen.', "de", "ceremony"),
        ('Die Aktionäre der Firma Siemens billigten auf der Hauptversammlung in München die Dividende.', "de", "shareholder_meeting"),
        ('Die Firma Siemens meldete bei der Vorlage der Quartalszahlen einen Gewinn von zwei Milliarden Euro.', "de", "earnings_call"),
    ],
)
def test_an_outcome_of_its_kind_says_the_event_took_place(text: str, language: str, kind: str):
    assert (kind, Status.TOOK_PLACE, False) in _claims(text, language)


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("Voters in Poland will cast their ballots in the parliamentary election on Sunday.", "en", "election"),
        ("The president Emmanuel Macron hopes to be re-elected in the presidential election in France next year.", "en", "election"),
        ("The driver Max Verstappen hopes to finish on the podium at the Dutch Grand Prix in Zandvoort next Sunday.", "en", "race"),
        ("The leaders are expected to adopt a final declaration at the G20 summit in New Delhi next week.", "en", "summit"),
        ("Beim Nato-Gipfel in Vilnius soll eine Abschlusserklärung verabschiedet werden.", "de", "summit"),
        ("Die Schwimmerin Angelina Köhler will bei der Weltmeisterschaft in Singapur im Sommer eine Goldmedaille holen.", "de", "tournament"),
    ],
)
def test_an_outcome_after_a_future_or_a_wish_is_one_to_come(text: str, language: str, kind: str):
    claims = _claims(text, language)
    assert (kind, Status.PLANNED, False) in claims
    assert all(status != Status.TOOK_PLACE for _, status, _ in claims)


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("Bayern Munich, who beat Borussia Dortmund 3-0 in last year's final, face them again in the cup final in Berlin on Saturday.", "en", "match"),
        ("Der Läufer Eliud Kipchoge, der im vergangenen Jahr den Berlin-Marathon gewann, startet am Sonntag beim Marathon in Berlin.", "de", "race"),
        ("Im Vorjahr hatte Bayern München das Pokalfinale gegen Borussia Dortmund mit 3:0 gewonnen; am Samstag treffen beide im Pokalfinale in Berlin erneut aufeinander.", "de", "match"),
    ],
)
def test_the_outcome_of_another_edition_is_background_and_this_one_is_planned(text: str, language: str, kind: str):
    claims = _claims(text, language)
    assert (kind, Status.PLANNED, False) in claims
    assert all(background for _, status, background in claims if status == Status.TOOK_PLACE)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # a score in brackets recalls another result (or the half-time score after the final one)
        ("Gladbach mit fünf Änderungen gegenüber der Pleite gegen Dortmund (1:2) im Derby gegen Köln am Samstag.", "de"),
        ("Chelsea, after the defeat to Arsenal (1-2), play the match against Leeds in London on Saturday.", "en"),
        # a time of day is no score
        ("Das Spiel zwischen Schalke und Bochum in Gelsenkirchen beginnt am Samstag um 15:30 Uhr.", "de"),
    ],
)
def test_no_score_without_a_result(text: str, language: str):
    assert all(status != Status.TOOK_PLACE for _, status, _ in _claims(text, language))


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        # a headline reports an outcome in the present tense
        ("Spanien holt bei der Weltmeisterschaft in Australien den Titel.", "de", "tournament"),
        ("Argentinien wird bei der Weltmeisterschaft in Katar Weltmeister.", "de", "tournament"),
        ("Der Fahrer Max Verstappen gewinnt den Großen Preis von Österreich in Spielberg.", "de", "race"),
        ("Die SPD gewinnt die Bürgerschaftswahl in Hamburg.", "de", "election"),
        ("Voters in Ireland reject the proposal in the referendum on the family.", "en", "referendum"),
        ("The candidate Rafal Trzaskowski concedes defeat in the presidential election in Poland.", "en", "election"),
        ("The driver Max Verstappen claims victory at the Austrian Grand Prix in Spielberg.", "en", "race"),
        # a present passive is a report, no future: "werden ... ausgezählt" are being counted
        ("Am Montag werden bei der Präsidentschaftswahl in Österreich die Wahlkarten ausgezählt.", "de", "election"),
    ],
)
def test_a_headline_states_an_outcome_in_the_present(text: str, language: str, kind: str):
    assert (kind, Status.TOOK_PLACE, False) in _claims(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Turkey's parliament ratified Sweden's accession protocol on Tuesday. The ratification will come into effect after its publication in the Official Gazette.", "en"),
        ("Das Parlament der Türkei hat den Beitritt Schwedens ratifiziert. Die Ratifizierung wird nach der Veröffentlichung im Amtsblatt in Kraft treten.", "de"),
    ],
)
def test_a_result_coming_into_force_is_no_plan_of_the_vote(text: str, language: str):
    assert _claims(text, language) == [("vote", Status.TOOK_PLACE, False)]


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("In 2019, Liverpool beat Tottenham 2-0 in the Champions League final in Madrid.", "en", "match"),
        ("In 2018, the Kenyan runner Eliud Kipchoge crossed the finish line first in the Berlin Marathon.", "en", "race"),
    ],
)
def test_an_outcome_dated_to_an_earlier_year_by_an_opening_clause_is_background(text: str, language: str, kind: str):
    claims = _claims(text, language)
    assert (kind, Status.TOOK_PLACE, True) in claims
    assert (kind, Status.TOOK_PLACE, False) not in claims


def test_an_opening_clause_that_does_not_date_the_claim_leaves_it_news():
    claims = _claims("Erster Spielausfall seit 2011: Das Derby zwischen Borussia Mönchengladbach und dem 1. FC Köln ist abgesagt.", "de")
    assert ("match", Status.POSTPONED, False) in claims


@pytest.mark.parametrize(
    ("text", "language", "kind", "status"),
    [
        # a journey ahead or under way, a visit wrapped up; tickets kept for a new date;
        # finishers of a race, delegates gathered or in session
        ("The king Charles III heads to Kenya for a state visit next month.", "en", "visit", Status.PLANNED),
        ("The king Charles III is on a state visit to Kenya, where he laid flowers at a memorial in Nairobi.", "en", "visit", Status.TOOK_PLACE),
        ("The singer Adele has moved her concert in Munich; all tickets remain valid.", "en", "concert", Status.POSTPONED),
        ("More than 50,000 finishers completed the Berlin Marathon in Berlin on Sunday.", "en", "race", Status.TOOK_PLACE),
        ("Delegates from 190 countries gathered for the climate conference in Dubai on Thursday.", "en", "conference", Status.TOOK_PLACE),
        ("Der König Charles III. bricht am Montag zu seinem Staatsbesuch nach Kenia auf.", "de", "visit", Status.PLANNED),
        ("Der König Charles III. ist zu Besuch in Kenia und legte in Nairobi Blumen nieder.", "de", "visit", Status.TOOK_PLACE),
        ("Der Präsident Emmanuel Macron weilt zu einem Staatsbesuch in Berlin.", "de", "visit", Status.TOOK_PLACE),
        ("Für das Konzert der Sängerin Adele in München behalten die Tickets ihre Gültigkeit.", "de", "concert", Status.POSTPONED),
        ("Die Delegierten der Klimakonferenz in Dubai tagten bis in die Nacht.", "de", "conference", Status.TOOK_PLACE),
        # who appeared in court had a hearing; what leaders signed, they signed at the summit
        ("The former president Donald Trump appeared in court for the hearing in New York on Tuesday.", "en", "hearing", Status.TOOK_PLACE),
        ("Der frühere Präsident Donald Trump erschien zur Anhörung vor Gericht in New York.", "de", "hearing", Status.TOOK_PLACE),
        ("The leaders signed a joint declaration at the G7 summit in Elmau on Tuesday.", "en", "summit", Status.TOOK_PLACE),
        ("Beim G7-Gipfel in Elmau unterzeichneten die Staats- und Regierungschefs eine Erklärung.", "de", "summit", Status.TOOK_PLACE),
        ("The leaders will sign a joint declaration at the G7 summit in Elmau next week.", "en", "summit", Status.PLANNED),
    ],
)
def test_the_status_words_of_a_kind(text: str, language: str, kind: str, status: Status):
    assert (kind, status, False) in _claims(text, language)


@pytest.mark.parametrize(
    ("text", "language", "kind", "status"),
    [
        # a description between commas recounts another edition; the verb after it is the news
        ("Organisers of the Glastonbury festival in Somerset, which attracted 200,000 people last year, cancelled this year's event.", "en", "festival", Status.CANCELLED),
        ("The climate conference in Bonn, which closed with a deal last year, has been cancelled.", "en", "conference", Status.CANCELLED),
        # a clause that recounts with a claim of its own does not make the other one background
        ("Der Berlin-Marathon in Berlin wurde abgesagt, im vergangenen Jahr gingen 45.000 Läufer an den Start.", "de", "race", Status.CANCELLED),
        ("Originally scheduled for April 20, the Boston Marathon will now take place in Boston on September 14.", "en", "race", Status.PLANNED),
        # the score a game stood at when it was stopped is no result
        ("Das Spiel zwischen Schalke und Bochum in Gelsenkirchen wurde beim Stand von 1:1 abgebrochen.", "de", "match", Status.CANCELLED),
    ],
)
def test_the_news_of_a_sentence_that_also_recounts(text: str, language: str, kind: str, status: Status):
    assert (kind, status, False) in _claims(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # a plan in the present passive or the future, in the words of an outcome
        ("Der Präsident Emmanuel Macron wird am Mittwoch bei seinem Staatsbesuch in Berlin zu Gast sein.", "de"),
        ("Der König Charles III. wird am Mittwoch bei seinem Staatsbesuch in Berlin von Bundespräsident Steinmeier begrüßt.", "de"),
        ("Der Anstich beim Oktoberfest in München ist am Samstag um 12 Uhr.", "de"),
        ("The Glastonbury festival in Somerset, which will take place in June, has attracted criticism over ticket prices.", "en"),
    ],
)
def test_a_plan_in_the_words_of_an_outcome_is_no_report_of_it(text: str, language: str):
    assert all(status != Status.TOOK_PLACE for _, status, _ in _claims(text, language))


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        # the German present with a time ahead speaks of the future
        ("Am kommenden Montag streiken die Lokführer der Gewerkschaft GDL bei der Deutschen Bahn.", "de", "strike"),
        ("Die Lokführer der Gewerkschaft GDL streiken ab Donnerstag bei der Deutschen Bahn.", "de", "strike"),
    ],
)
def test_an_outcome_with_a_time_ahead_is_one_to_come(text: str, language: str, kind: str):
    claims = _claims(text, language)
    assert (kind, Status.PLANNED, False) in claims
    assert all(status != Status.TOOK_PLACE for _, status, _ in claims)


def test_a_result_and_the_next_fixture_keep_the_result():
    claims = _claims("Bayern Munich beat Borussia Dortmund 2-1 in the cup final in Berlin and face Real Madrid next week.", "en")
    assert ("match", Status.TOOK_PLACE, False) in claims


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        # what would have been recounts the plan it had
        ("Zwar hätte die Wiesn 2020 erst ab 19. September in München stattgefunden, doch das Risiko sei zu groß.", "de", "festival"),
        ("Wann hätten die Konzerte der Sängerin Taylor Swift in Wien stattgefunden?", "de", "concert"),
        ("The Berlin Marathon in Berlin would have taken place on Sunday, September 24.", "en", "race"),
    ],
)
def test_what_would_have_been_is_no_report_that_it_was(text: str, language: str, kind: str):
    assert all(status != Status.TOOK_PLACE for _, status, _ in _claims(text, language))


def test_reported_speech_in_the_plural_subjunctive_is_a_report_not_what_would_have_been():
    """German reported speech puts "hätten" for "haben" where the present subjunctive
    looks like the indicative: a source saying two ministers phoned reports the call."""
    claims = _claims("Die Außenminister Rubio und Lawrow könnten diese Woche erneut telefonieren, nachdem sie am Montag ein Telefonat geführt hätten.", "de")
    assert ("call", Status.TOOK_PLACE, False) in claims


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        # the present tense of the event's own verb announces it
        ("Der Bundestag stimmt am Donnerstag über das Heizungsgesetz ab.", "de", "vote"),
        ("Am Sonntag wählen die Thüringer bei der Landtagswahl in Thüringen einen neuen Landtag.", "de", "election"),
        ("Die Tarifverhandlungen zwischen Verdi und der Lufthansa gehen am Montag in Frankfurt in die nächste Runde.", "de", "negotiation_round"),
        ("Beim Berlin-Marathon in Berlin gehen am Sonntag 45.000 Läufer an den Start.", "de", "race"),
        ("Die Sängerin Adele gibt am Freitag ein Konzert in München.", "de", "concert"),
        ("More than 50,000 runners line up for the Berlin Marathon in Berlin on Sunday.", "en", "race"),
        ("Pilots of the airline Lufthansa walk out in a strike on Friday.", "en", "strike"),
    ],
)
def test_the_present_of_the_events_own_verb_announces_it(text: str, language: str, kind: str):
    assert (kind, Status.PLANNED, False) in _claims(text, language)
