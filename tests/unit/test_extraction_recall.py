"""Recall on real prose: events reported in ways the rules did not read before (a German
verb bracket in the plural, a region named by its adjective, an event named in passing
inside a sentence about another)."""

from __future__ import annotations

from schemas import Status
from tests.unit.extraction_text import extracted, found_claims as _found


def _each_claims(cases: list[tuple[str, str, Status]]) -> None:
    """Each German text claims exactly one event of its kind, with its status."""
    for text, kind, status in cases:
        assert [m.status for m in extracted(text) if m.type == kind] == [status], (text, extracted(text))


def test_a_plural_verb_bracket_finden_statt_is_a_plan():
    found = _found("Die Konzerte von Sängerin Helene Fischer in Oberhausen und Köln finden nach Angaben des Veranstalters wie geplant statt.", kind="concert")
    assert found and all(status == Status.PLANNED for _, _, status in found), found
    assert any("Helene Fischer" in actors for _, actors, _ in found), found


def test_a_plural_verb_bracket_negated_is_a_cancellation():
    found = _found("Die Konzerte von Sängerin Helene Fischer in Hamburg finden nicht statt.", kind="concert")
    assert [status for _, _, status in found] == [Status.CANCELLED], found


def test_a_region_named_by_its_adjective_holds_the_election():
    for text, language in (
        ("The election of the Thuringian state parliament has been postponed to September 26.", "en"),
        ("Die Wahl zum Thüringer Landtag wurde verschoben.", "de"),
    ):
        found = _found(text, language, kind="election")
        assert found == [("election", ["Thuringia"], Status.POSTPONED)], (text, found)


def test_an_event_named_in_passing_takes_no_other_cue_of_its_sentence():
    # the visit to France is the one postponed in passing; the plan is the other visit's
    found = _found("Despite the postponement of the visit to France, King Charles will visit Germany as planned.", "en", kind="visit")
    assert found == [("visit", ["Charles"], Status.PLANNED)], found
    found = _found("Trotz der Verschiebung der Visite von König Charles in Frankreich findet der Staatsbesuch in Deutschland wie geplant statt.", kind="visit")
    assert not any("Charles" in actors for _, actors, _ in found), found
    # a status noun not tied to the event word ("Nach Verschiebungen Testflug") leaves it alone
    found = _found('Nach Verschiebungen Testflug für NASA-Mondmission "Artemis 1" gestartet', kind="launch")
    assert found == [("launch", ["Artemis 1"], Status.TOOK_PLACE)], found


def test_what_opens_is_the_openings_participant():
    cases = [
        ("Die Hamburger Elbphilharmonie soll mit siebenjähriger Verspätung in zwei Jahren eröffnet werden.", "de", "Elbphilharmonie", Status.PLANNED),
        ("Der Festakt zur Eröffnung der Elbphilharmonie ist um 20 Uhr zu Ende gegangen.", "de", "Elbphilharmonie", Status.TOOK_PLACE),
        ("Die Eröffnung des neuen Großflughafens Berlin-Brandenburg wird bis zum Ende des Sommers verschoben.", "de", "Berlin-Brandenburg", Status.POSTPONED),
        ("Die Eröffnung des Hauptstadtflughafens BER wurde abgesagt.", "de", "BER", Status.CANCELLED),
        ("The opening of Berlin Brandenburg Airport has been postponed again.", "en", "Berlin Brandenburg Airport", Status.POSTPONED),
    ]
    for text, language, thing, status in cases:
        found = _found(text, language, kind="opening")
        assert found and found[0][1][:1] == [thing] and found[0][2] == status, (text, found)


def test_an_opening_of_a_common_noun_names_nobody():
    assert _found("Die Eröffnung der Ausstellung wurde verschoben.", kind="opening") == []


def test_a_participle_closing_a_german_clause_is_its_claim_however_far_from_the_event_word():
    found = _found("Weitere Konzerte von Sängerin Helene Fischer sind unter anderem am 11. April in Oberhausen und am 13. April in Köln geplant.", kind="concert")
    assert found and all(status == Status.PLANNED for _, _, status in found), found


def test_an_event_on_the_programme_is_planned():
    for text, language in (
        ("Bereits am Dienstag steht das nächste Konzert von Sängerin Helene Fischer in Luxemburg auf dem Programm.", "de"),
        ("The next concert of singer Helene Fischer in Luxembourg is on the schedule for Tuesday.", "en"),
    ):
        assert _found(text, language, kind="concert") == [("concert", ["Helene Fischer"], Status.PLANNED)], text


def test_places_coordinated_for_an_event_held_at_one_place_are_one_event_each():
    found = [(m.location, m.status) for m in extracted("The concerts of singer Helene Fischer in Vienna and Berlin were cancelled.", "en") if m.type == "concert"]
    assert sorted(found) == [("Berlin", Status.CANCELLED), ("Vienna", Status.CANCELLED)], found
    found = [m.location for m in extracted("Weitere Konzerte von Sängerin Helene Fischer sind am 11. April in Oberhausen und am 13. April in Köln geplant.") if m.type == "concert"]
    assert sorted(found) == ["Cologne", "Oberhausen"], found
    # a place of another clause is not coordinated with the event's
    found = [m.location for m in extracted("The concert of singer Helene Fischer in Vienna was cancelled, and she flew to Berlin.", "en") if m.type == "concert"]
    assert found == ["Vienna"], found


def test_a_venue_head_alone_is_no_participant():
    assert _found("Das Konzert in einer Halle am Stadtrand wurde abgesagt.", kind="concert") == []


def test_a_modal_with_an_infinitive_of_calling_off_is_a_claim():
    assert _found("Sängerin Helene Fischer muss zum dritten Mal Konzerte absagen", kind="concert") == [("concert", ["Helene Fischer"], Status.CANCELLED)]
    assert _found("Der Veranstalter musste das Konzert von Sängerin Helene Fischer verschieben.", kind="concert") == [("concert", ["Helene Fischer"], Status.POSTPONED)]


def test_a_title_at_the_head_of_a_compound_titles_the_name_after_it():
    found = _found('Das Konzert des "Police"-Sängers Sting in Leipzig ist abgesagt worden.', kind="concert")
    assert found and "Sting" in found[0][1], found


def test_what_was_said_during_a_gathering_and_what_leaders_had_say_it_was_held():
    cases = [
        ("Elysee sources said that Macron and Chancellor Olaf Scholz had a very constructive meeting.", "en"),
        ('Trump sagte, er habe während des Treffens eine "besondere Verbindung" zu Machthaber Kim Jong Un aufgebaut.', "de"),
    ]
    for text, language in cases:
        found = _found(text, language, kind="meeting")
        assert [status for _, _, status in found] == [Status.TOOK_PLACE], (text, found)


def test_a_gathering_that_comes_together_is_planned_and_one_that_came_together_was_held():
    assert [s for _, _, s in _found("Am Mittwoch kommt der deutsch-französische Ministerrat in Paris zusammen.", kind="consultations")] == [Status.PLANNED]
    assert [s for _, _, s in _found("Am Mittwoch kamen die Minister zum deutsch-französischen Ministerrat in Paris zusammen.", kind="consultations")] == [Status.TOOK_PLACE]


def test_a_victory_says_the_match_was_played():
    found = _found("Die Gladbacher Anhänger feiern den knappen Sieg im Derby gegen den 1. FC Köln.", kind="match")
    assert [status for _, _, status in found] == [Status.TOOK_PLACE], found


def test_a_date_ahead_after_an_event_word_names_a_plan():
    # published 21 October 2025: 5 December lies ahead
    found = [(m.type, m.status, m.event_date.isoformat()) for m in extracted("Hoffentlich kein schlechtes Omen für die Eröffnung des Skylink am 5. Dezember am Flughafen Wien.")]
    assert found == [("opening", Status.PLANNED, "2025-12-05")], found
    found = [(m.type, m.status) for m in extracted("The summit between Donald Trump and Kim Jong Un on December 12 in Singapore.", "en")]
    assert found == [("summit", Status.PLANNED)], found


def test_a_date_in_a_recounting_clause_names_no_plan():
    assert extracted("Die Eröffnung des Skylink am 5. Dezember am Flughafen Wien war ein Erfolg.") == []
    assert extracted("The summit between Donald Trump and Kim Jong Un on December 12 in Singapore was historic.", "en") == []


def test_a_date_does_not_hide_the_cue_it_touches():
    found = [(m.status, m.event_date.isoformat()) for m in extracted("Die Elbphilharmonie eröffnet am 11. Januar 2027") if m.type == "opening"]
    assert found == [(Status.PLANNED, "2027-01-11")], found


def test_a_date_in_parentheses_is_no_clause_of_its_own():
    text = "Die Konzerte von Sängerin Helene Fischer in Leipzig (28.03.2022) und Hamburg (30.03.2022) müssen verschoben werden."
    found = sorted((m.location, m.status) for m in extracted(text) if m.type == "concert")
    assert found == [("Hamburg", Status.POSTPONED), ("Leipzig", Status.POSTPONED)], found


def test_a_date_set_as_the_events_date_plans_it():
    found = _found("Die Thüringer Landesregierung hat den 26. September als Termin für die Neuwahl festgelegt.", kind="election")
    assert found == [("election", ["Thuringia"], Status.PLANNED)], found
    found = _found("The Thuringian government has set the date for the state election.", "en", kind="election")
    assert found == [("election", ["Thuringia"], Status.PLANNED)], found


def test_an_adjective_hedge_of_another_noun_does_not_hedge_the_claim():
    found = [(m.type, m.modality) for m in extracted("Der wegen möglicher Bilanzmanipulationen unter Druck stehende Konzern Wirecard hat die Hauptversammlung verschoben.")]
    assert found == [("shareholder_meeting", None)], found
    found = [(m.type, m.modality) for m in extracted("Die Landesregierung hat den 26. September als Termin für eine mögliche Neuwahl in Thüringen festgelegt.")]
    assert found == [("election", "mögliche")], found


def test_games_named_together_are_a_tournament():
    found = _found("The IOC and the organisers announce new dates for the Olympic and Paralympic Games in Los Angeles in 2028.", "en", kind="tournament")
    assert [status for _, _, status in found] == [Status.PLANNED, Status.PLANNED], found  # one event each (test_extraction_several_events)


def test_what_happens_in_the_trial_of_someone_says_it_is_under_way():
    found = _found("Im Prozess gegen den Ex-Filmmogul Harvey Weinstein ist der Weg für die Auftaktplädoyers frei.", kind="trial")
    assert found == [("trial", ["Harvey Weinstein"], Status.TOOK_PLACE)], found


def test_an_event_named_only_by_its_place_takes_the_name_the_article_gives_it():
    text = (
        "The organizers of a major telecoms industry conference in Barcelona said on Friday it would still go ahead. "
        "Industry group GSMA said the Mobile World Congress is due to be held from Feb. 24-27."
    )
    found = [m.actors for m in extracted(text, "en") if m.type == "conference"]
    assert found and all("Mobile World Congress" in actors for actors in found), found


def test_a_date_without_a_year_that_has_passed_names_no_plan():
    # published 21 October 2025: "am 5. Juni" is this year's, past, not next year's
    assert extracted("Der Gipfel von Präsident Trump und Präsident Putin am 5. Juni in Budapest brachte keine Einigung.") == []
    found = [m.status for m in extracted("Der Gipfel von Präsident Trump und Präsident Putin am 12. Oktober 2026 in Budapest.")]
    assert found == [Status.PLANNED], found


def test_a_headline_reports_in_the_present_tense():
    cases = [
        ("Turkish parliament approves Sweden's NATO bid", "vote", Status.TOOK_PLACE),
        ("Parliament's foreign affairs committee approves Sweden's NATO bid", "vote", Status.TOOK_PLACE),
        ("NASA postpones Artemis launch", "launch", Status.POSTPONED),
        ("Organisers scrap Glastonbury festival", "festival", Status.CANCELLED),
        ("Berlin shelves Franco-German consultations", "consultations", Status.ON_HOLD),
        ("RMT union suspends strike at Network Rail", "strike", Status.ON_HOLD),
    ]
    for title, kind, status in cases:
        found = [m.status for m in extracted("No further details were given.", "en", title=title) if m.type == kind]
        assert found == [status], (title, found)


def test_a_parliament_body_that_approved_a_bid_held_a_vote():
    found = _found("The Turkish parliament's foreign affairs commission has approved Sweden's NATO membership bid.", "en", kind="vote")
    assert [status for _, _, status in found] == [Status.TOOK_PLACE], found
    assert found and "Sweden" in found[0][1], found


def test_a_deferred_vote_is_postponed():
    found = _found("We will therefore defer the vote in the House of Commons scheduled for tomorrow.", "en", kind="vote")
    assert found == [("vote", ["House of Commons"], Status.POSTPONED)], found


def test_readying_for_an_event_says_it_is_coming():
    for text in ("New York gears up for the return of its marathon.", "Lufthansa braces for the pilots' strike on Friday."):
        found = [m.status for m in extracted(text, "en")]
        assert found == [Status.PLANNED], (text, found)


def test_a_quotation_opening_a_sentence_starts_a_new_one():
    # the condition of the quotation before ("If we went ahead ...") does not reach into the next
    text = "“If we went ahead and held the vote tomorrow, the deal would be rejected,” Theresa May told the House of Commons. “We will therefore defer the vote.”"
    found = _found(text, "en", kind="vote")
    assert [status for _, _, status in found] == [Status.POSTPONED], found


def test_a_parliament_or_its_committee_decides_by_a_vote():
    found = _found("Der außenpolitische Ausschuss des türkischen Parlaments hat eine Entscheidung über den NATO-Beitritt Schwedens vertagt.", kind="vote")
    assert found == [("vote", ["Grand National Assembly", "Sweden"], Status.POSTPONED)], found  # the chamber, not the country
    found = _found("Das türkische Parlament soll am Dienstag über den NATO-Beitritt Schwedens entscheiden.", kind="vote")
    assert [status for _, _, status in found] == [Status.PLANNED], found


def test_a_word_is_not_the_stem_of_a_contraction():
    # "won" (a result) is not in "won't"
    found = [m.status for m in extracted("There won't be a big party, just the opening of Berlin Brandenburg Airport.", "en") if m.type == "opening"]
    assert Status.TOOK_PLACE not in found, found


def test_lost_in_the_passive_is_no_result():
    assert _found("For those who were lost, the New York City Marathon is a great event.", "en", kind="race") == []
    found = _found("Arsenal lost the match against Chelsea.", "en", kind="match")
    assert [status for _, _, status in found] == [Status.TOOK_PLACE], found


def test_a_german_compound_names_what_its_last_noun_names():
    cases = [
        ("Der Flugbegleiterstreik bei der Lufthansa wurde abgesagt.", "strike", Status.CANCELLED),
        ("Das Eröffnungskonzert von Sängerin Helene Fischer wurde verschoben.", "concert", Status.POSTPONED),
        ("Das Qualifikationsturnier des DFB wurde abgesagt.", "tournament", Status.CANCELLED),
    ]
    _each_claims(cases)


def test_a_compound_head_that_ends_other_words_names_no_event():
    # "Vertagung" ends in "Tagung", "Beispiels" in "Spiels": neither a conference nor a match
    assert [m.type for m in extracted("Die Vertagung der Sitzung von Präsident Macron wurde abgesagt.")] == []
    assert [m.type for m in extracted("Des Beispiels wegen: FC Bayern hat abgesagt.")] == []
    # a compound of "Besuch" or "Auftritt" mostly names what is attended or where one appears
    assert [m.type for m in extracted("Der Stadionbesuch von Präsident Macron beim FC Bayern wurde abgesagt.")] == []
    assert [m.type for m in extracted("Der Fernsehauftritt von Sängerin Helene Fischer wurde abgesagt.")] == []


def test_a_word_listed_whole_beats_the_compound_head_inside_it():
    found = [m.type for m in extracted("Die Friedensgespräche für Syrien mit Staffan de Mistura werden am Montag fortgesetzt.")]
    assert "talks" not in found and "negotiation_round" in found, found


def test_a_comparison_with_what_was_expected_is_no_plan():
    found = [m.status for m in extracted("Wegen des Streiks der Gewerkschaft Ufo hat die Lufthansa mehr Flüge streichen müssen als erwartet.")]
    assert Status.PLANNED not in found, found
    found = [m.status for m in extracted("The strike by the RMT union hit more trains than expected.", "en")]
    assert Status.PLANNED not in found, found


def test_not_until_a_later_time_is_a_delay():
    found = [m.status for m in extracted("Die Regierungsgespräche zwischen Deutschland und Frankreich finden erst Anfang nächsten Jahres statt.")]
    assert found == [Status.POSTPONED], found
    found = [m.status for m in extracted("Die Eröffnung des Hauptstadtflughafens BER kommt später als erwartet.") if m.type == "opening"]
    assert found == [Status.POSTPONED], found


def test_a_headline_without_case_names_the_known_names_it_holds():
    for title in ("wegen omikron - grammys verschoben", "WEGEN OMIKRON: GRAMMYS VERSCHOBEN"):
        found = [(m.type, m.actors, m.status) for m in extracted("Mehr dazu in Kürze.", title=title)]
        assert found == [("ceremony", ["Grammy Awards"], Status.POSTPONED)], (title, found)


def test_a_demonstrative_before_a_finite_verb_refers_back_to_the_event():
    text = "Tokio erhielt 2013 den Zuschlag für die Olympischen Sommerspiele 2020. Diese mussten wegen der Pandemie verschoben werden."
    assert [(m.type, m.status) for m in extracted(text)] == [("tournament", Status.POSTPONED)]
    text = "Die Hauptversammlung der Daimler AG ist für Aktionäre nur online zugänglich. Sie wird am 8. Juli 2026 stattfinden."
    assert Status.PLANNED in [m.status for m in extracted(text) if m.type == "shareholder_meeting"]
    # a determiner before a noun is no pronoun
    text = "Tokio erhielt 2013 den Zuschlag für die Olympischen Sommerspiele 2020. Diese Pandemie wurde verschoben."
    assert extracted(text) == []


def test_kind_words_a_newsroom_writes():
    cases = [
        ("Der zweite Wahlgang in Österreich wurde verschoben.", "election", Status.POSTPONED),
        ("Die Deutschen Meisterschaften des DLV in Kassel wurden abgesagt.", "tournament", Status.CANCELLED),
        ("Die Jubiläumsfeier von Präsident Macron im Élysée wurde abgesagt.", "ceremony", Status.CANCELLED),
    ]
    _each_claims(cases)


def test_lost_with_no_score_or_opponent_is_no_result():
    assert _found("The New York City Marathon was run in memory of loved ones lost during the storm.", "en", kind="race") == []
    found = _found("Arsenal lost 2-1 in the match against Chelsea.", "en", kind="match")
    assert [status for _, _, status in found] == [Status.TOOK_PLACE], found


def test_meeting_a_standard_is_no_meeting():
    text = "Terminal 1 will open with flights by Lufthansa and EasyJet. “The German capital will finally have an airport that meets international standards,” Engelbert Luetke-Daldrup said."
    assert [m for m in extracted(text, "en") if m.type == "meeting"] == []


def test_a_recurring_event_that_returned_was_held_again():
    found = _found("The New York City Marathon returned in grand style on Sunday.", "en", kind="race")
    assert [status for _, _, status in found] == [Status.TOOK_PLACE], found
    found = _found("The New York City Marathon will return on Sunday.", "en", kind="race")
    assert [status for _, _, status in found] == [Status.PLANNED], found


def test_a_why_question_takes_its_content_as_given():
    for text, language in (("Warum sind die Konzerte von Taylor Swift in Wien abgesagt?", "de"), ("Why was the Taylor Swift concert in Vienna cancelled?", "en")):
        found = [(m.status, m.modality) for m in extracted(text, language)]
        assert found == [(Status.CANCELLED, None)], (text, found)
    # a yes-no question states nothing
    assert [m.modality for m in extracted("Sind die Konzerte von Taylor Swift in Wien abgesagt?")] == ["question"]


def test_figures_of_speech_and_modifiers_name_no_event():
    cases = [
        ("The Prime Minister announced the date during yet another marathon statement to Parliament.", "en"),
        ("Söder said he and Reiter will make a final decision in the next two weeks.", "en"),
        ("Concert promoter Goldenvoice announced the postponements on Tuesday.", "en"),
        ("NASA and SpaceX will repair the launch pad.", "en"),
        ("Die Polizei hat Vorbereitungen für einen Anschlag auf ein Konzert von Taylor Swift getroffen.", "de"),
        ("Die Entscheidung, den Anlass zu verschieben, sei mit der GSMA und Mats Granryd getroffen worden.", "de"),
    ]
    for text, language in cases:
        found = [m.type for m in extracted(text, language) if m.type in ("race", "match", "concert", "launch", "meeting")]
        assert found == [], (text, found)
    # the gathering itself is still named
    assert [m.type for m in extracted("The marathon talks between Donald Trump and Kim Jong Un ended without a deal.", "en")] == ["talks"]


def test_held_every_year_describes_a_recurring_event_and_claims_nothing():
    text = "The Coachella festival and Stagecoach, two festivals held every April in Indio, are being rescheduled."
    found = {m.status for m in extracted(text, "en") if m.type == "festival"}
    assert found == {Status.POSTPONED}, found


def test_a_decision_to_cancel_is_a_cancellation_and_a_threat_to_is_none():
    text = "Aufgrund eines geplanten Terroranschlags haben wir keine andere Wahl, als die drei Shows von Taylor Swift in Wien abzusagen."
    assert [(m.type, m.status) for m in extracted(text)] == [("concert", Status.CANCELLED)]
    assert [m.status for m in extracted("Der Veranstalter beschloss, das Konzert von Taylor Swift in Wien abzusagen.")] == [Status.CANCELLED]
    # the infinitive says what a threat or a deliberation in the clause before it is about
    assert extracted("Der Veranstalter drohte, das Konzert von Taylor Swift in Wien abzusagen.") == []
    assert extracted("Die Regierung erwägt, den Gipfel von Präsident Trump und Präsident Putin zu verschieben.") == []


def test_talks_named_by_their_subject_are_negotiations():
    for text, language in (("The trade talks between the United States and China were postponed.", "en"), ("Die Koalitionsgespräche von CDU und SPD wurden vertagt.", "de")):
        assert [(m.type, m.status) for m in extracted(text, language)] == [("negotiation_round", Status.POSTPONED)], text


def test_an_outcome_says_the_event_was_held():
    cases = [
        ("Präsidentenwahl in Österreich: Van der Bellen wird Bundespräsident", "de", "election"),
        ("Poland's presidential election: Nawrocki becomes president", "en", "election"),
        ("Arsenal's 2-1 victory over Chelsea in the derby delighted the fans.", "en", "match"),
    ]
    for text, language, kind in cases:
        assert [m.status for m in extracted(text, language) if m.type == kind] == [Status.TOOK_PLACE], text
