"""Trade-fair events: drafting them from open requirements, the meeting scheduler, agendas, and
what happened at each meeting afterwards."""
