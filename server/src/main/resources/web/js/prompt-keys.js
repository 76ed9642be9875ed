// The shipped prompt phrases (engine/src/main/java/dev/hotline/engine/tts/PromptKey.java), as used in
// flows as {"prompt": KEY}; their texts are the bundle keys promptKey.<KEY>.

import { t } from './i18n.js';

export const SHIPPED_PROMPTS = [
  'N0', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8', 'N9', 'N10', 'N11', 'N12', 'N13', 'N14', 'N15', 'N16', 'N17',
  'N18', 'N19', 'N20', 'N30', 'N40', 'N50', 'N60', 'N70', 'N80', 'N90', 'HUNDRED', 'THOUSAND', 'TEN_THOUSAND',
  'MILLION', 'HUNDRED_MILLION', 'LIANG', 'YAO', 'POINT', 'MINUS', 'AND', 'OH', 'STAR', 'POUND', 'ORD1', 'ORD2',
  'ORD3', 'ORD4', 'ORD5', 'ORD6', 'ORD7', 'ORD8', 'ORD9', 'ORD10', 'ORD11', 'ORD12', 'ORD13', 'ORD14', 'ORD15',
  'ORD16', 'ORD17', 'ORD18', 'ORD19', 'ORD20', 'ORD30', 'YUAN', 'JIAO', 'FEN', 'DOLLAR', 'DOLLARS', 'CENT', 'CENTS',
  'YEAR', 'MONTH', 'DAY', 'HAO', 'OCLOCK', 'CLOCK_MINUTE', 'AM', 'PM', 'JANUARY', 'FEBRUARY', 'MARCH', 'APRIL',
  'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER', 'MONDAY', 'TUESDAY', 'WEDNESDAY',
  'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY', 'HOUR', 'HOURS', 'MINUTE', 'MINUTES', 'SECOND', 'SECONDS',
  'YOU_ARE_NUMBER', 'IN_THE_QUEUE', 'EXPECTED_WAIT', 'ABOUT', 'PLEASE_HOLD', 'AGENTS_BUSY', 'WELCOME',
  'THANK_YOU_FOR_CALLING', 'GOODBYE', 'INVALID_INPUT', 'PLEASE_ENTER', 'END_WITH_POUND', 'YOU_ENTERED', 'PRESS',
  'FOR', 'MAIN_MENU', 'CALLBACK', 'TRANSFERRING', 'LEAVE_MESSAGE', 'TRY_LATER',
  'AGENT_NUMBER', 'AT_YOUR_SERVICE', 'CALLBACK_REGISTERED', 'DEMO_MENU', 'DEMO_CLOSED', 'SURVEY_SCORE', 'SURVEY_REASON',
  'SURVEY_THANKS', 'BEEP',
];

/** A shipped phrase by its text in the user's language (WELCOME → "welcome" / "欢迎致电"); other names as they are. */
export function promptText(key) {
  return key && SHIPPED_PROMPTS.includes(key) ? t('promptKey.' + key) : (key || '');
}
