import type { MailTemplateName, TemplateData } from './template-catalogue';
import type { ParticipantMailData } from './template-data';

/** Realistic data for previews and tests: a Kela pilot in its first quarter, coached in Finnish. */
const participant: ParticipantMailData = {
  recipient: { name: 'Aino Virtanen', firstName: 'Aino' },
  organization: { name: 'Kansaneläkelaitos' },
  pilot: { name: 'Etuuspalvelut', waveNumber: 1 },
  quarter: { label: '2027-Q1', number: 1, week: 1, weeksLeft: 12, endsOn: '2027-03-31' },
  coach: { name: 'Jöns Åkerlund' },
  links: { unsubscribe: 'https://luotsi.example.fi/u/Zq4xR8mVtY2pLw' },
};

const retrospectiveLink = 'https://luotsi.example.fi/r/H7sKd2QpXe9vNb';

export const TEMPLATE_SAMPLES: { [N in MailTemplateName]: TemplateData<N> } = {
  // A next wave's first kickoff, so that the preview shows the lessons marked for it.
  'prompt-kickoff': {
    ...participant,
    pilot: { ...participant.pilot, waveNumber: 2 },
    lessons: ['Viikkokatsaus toimii, kun siihen menee enintään kymmenen minuuttia.'],
    links: { ...participant.links, okrs: 'https://luotsi.example.fi/p/Vb6Yt2Kd9QwEr' },
  },
  'prompt-midquarter': { ...participant, quarter: { ...participant.quarter, week: 6, weeksLeft: 7 } },
  'checkin-request': {
    ...participant,
    quarter: { ...participant.quarter, week: 11, weeksLeft: 2 },
    links: { ...participant.links, action: 'https://luotsi.example.fi/c/Pm3VhT8wYc5aKr' },
    checkIn: { scoring: true },
  },
  'retrospective-invitation': {
    ...participant,
    quarter: { ...participant.quarter, week: 12, weeksLeft: 2 },
    links: { ...participant.links, action: retrospectiveLink },
    retrospective: { anonymity: 'anonymous' },
    firstQuestion: {
      text: 'OKR:t ohjasivat viikoittaisia prioriteettejani.',
      answers: [1, 2, 3, 4, 5].map((a) => ({
        label: String(a),
        url: `${retrospectiveLink}?q=process_priorities&a=${a}`,
      })),
    },
  },
  'retrospective-reminder': {
    ...participant,
    recipient: { name: 'Väinö Mäkelä', firstName: 'Väinö' },
    quarter: { ...participant.quarter, week: 12, weeksLeft: 2 },
    links: { ...participant.links, action: 'https://luotsi.example.fi/r/B2nWq6ZsLj4tEd' },
    retrospective: { anonymity: 'confidential' },
    firstQuestion: {
      text: 'Our OKRs guided my weekly priorities.',
      answers: [1, 2, 3, 4, 5].map((a) => ({
        label: String(a),
        url: `https://luotsi.example.fi/r/B2nWq6ZsLj4tEd?q=process_priorities&a=${a}`,
      })),
    },
  },
  'retrospective-closed': { ...participant, quarter: { ...participant.quarter, week: 13, weeksLeft: 0 } },
  'report-ready': {
    recipient: { name: 'Jöns Åkerlund', firstName: 'Jöns' },
    organization: participant.organization,
    pilot: participant.pilot,
    quarter: { label: '2027-Q1', number: 1 },
    links: {
      action: 'https://luotsi.example.fi/reports/quarters/6f1c2a8e/learning-report',
      console: 'https://luotsi.example.fi/app/rollouts/3c9d51b7/readiness',
    },
    report: { readiness: false, account: true },
  },
  'member-invitation': {
    recipient: { name: 'Märta Öhman', firstName: 'Märta' },
    inviter: { name: 'Aino Virtanen' },
    workspace: { name: 'Pohjolan OKR-valmennus' },
    role: 'coach',
    links: { action: 'https://luotsi.example.fi/invitations/Xk8rT2vQm5' },
  },
  'review-reminder': {
    recipient: { name: 'Jöns Åkerlund', firstName: 'Jöns' },
    organization: participant.organization,
    pilot: participant.pilot,
    quarter: { label: '2027-Q1', number: 1, endsOn: '2027-03-31' },
    links: {},
  },
  'planning-open': {
    ...participant,
    quarter: { ...participant.quarter, week: 12, weeksLeft: 2 },
    links: { ...participant.links, action: 'https://luotsi.example.fi/p/Vb6Yt2Kd9QwEr' },
    planning: { quarterLabel: '2027-Q2', closesOn: '2027-03-31' },
  },
  'planning-digest': {
    ...participant,
    quarter: { ...participant.quarter, week: 13, weeksLeft: 1 },
    links: { ...participant.links, action: 'https://luotsi.example.fi/p/Vb6Yt2Kd9QwEr' },
    planning: { quarterLabel: '2027-Q2', day: '2027-03-22', closesOn: '2027-03-31' },
    digest: {
      items: [
        'Åsa Lindqvist: ”Vastaa 80 % jäsenten sähköposteista kahdessa päivässä” – Tydligare mål.',
        "Emma O'Brien: ”Vastaa 80 % jäsenten sähköposteista kahdessa päivässä”",
      ],
      count: 2,
    },
  },
  'planning-digest-coach': {
    recipient: { name: 'Aino Virtanen', firstName: 'Aino' },
    organization: participant.organization,
    pilot: participant.pilot,
    quarter: { label: '2027-Q2', number: 2 },
    links: { action: 'https://luotsi.example/app/pilots/9b0f6c1e-0000-4000-8000-000000000001/planning' },
    planning: { quarterLabel: '2027-Q2', day: '2027-03-22', closesOn: '2027-03-31' },
    digest: {
      items: ['Jöns Åkerlund: ”Jäsenet saavat vastauksen nopeasti” – Voisimmeko mitata myös puhelut?'],
      count: 1,
      people: 1,
    },
  },
  'account-confirmation': {
    recipient: { name: 'Aino Virtanen', firstName: 'Aino' },
    workspace: { name: 'Pohjolan OKR-valmennus' },
    links: { action: 'https://luotsi.example.fi/app/confirm/Rt5mK9wQx2' },
  },
  'account-notice': {
    recipient: { name: 'Aino Virtanen', firstName: 'Aino' },
    links: {
      signIn: 'https://luotsi.example.fi/app/sign-in',
      reset: 'https://luotsi.example.fi/app/password/forgot',
    },
  },
  'password-reset': {
    recipient: { name: 'Aino Virtanen', firstName: 'Aino' },
    links: { action: 'https://luotsi.example.fi/app/password/reset/Pw3nL8vZc1' },
  },
};
