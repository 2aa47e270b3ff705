// A reference parser for the property tests: the numbered rules of docs/event-stream-parsing.md
// (WHATWG HTML § "Parsing an event stream", § "Interpreting an event stream"), applied literally
// to the whole input at once, one character at a time. It is written to be obviously correct,
// not fast, and shares no code with `../parse.ts`. Not part of the package.
import type { ServerSentEvent } from '../types.js';

/** Everything the reference reports for one whole stream. */
export interface ReferenceResult {
  events: ServerSentEvent[];
  /** The values of accepted `retry` fields, in stream order (rule 15). */
  retries: number[];
  /** Each comment line's text after the `:`, one leading space removed (rule 8, as the parser reports it). */
  comments: string[];
  /** The stream's last event ID once the input is consumed (rule 16). */
  lastEventId: string;
}

const LF = '\n';
const CR = '\r';

/**
 * Parses `input`, the whole decoded text of a stream (any byte order mark already removed by
 * the decoder, rule 4), and returns what a conforming parser reports. The text after the last
 * line ending is not a line: it is never processed (rule 21).
 *
 * @param initialLastEventId - The last event ID the stream starts from (the parser's `lastEventId` option).
 */
export function referenceParse(input: string, initialLastEventId = ''): ReferenceResult {
  const result: ReferenceResult = { events: [], retries: [], comments: [], lastEventId: initialLastEventId };
  let dataBuffer = '';
  let eventTypeBuffer = '';
  let lastEventIdBuffer = initialLastEventId;

  function dispatch(): void {
    result.lastEventId = lastEventIdBuffer; // rule 16
    if (dataBuffer === '') {
      // Rule 17.
      dataBuffer = '';
      eventTypeBuffer = '';
      return;
    }
    // Rule 18: remove one trailing LF (the buffer is never empty here, and always ends with one).
    if (dataBuffer.endsWith(LF)) dataBuffer = dataBuffer.slice(0, -1);
    // Rule 19.
    result.events.push({
      type: eventTypeBuffer === '' ? 'message' : eventTypeBuffer,
      data: dataBuffer,
      lastEventId: result.lastEventId,
    });
    // Rule 20.
    dataBuffer = '';
    eventTypeBuffer = '';
  }

  function processField(name: string, value: string): void {
    // Rule 11: names compared exactly; unknown names ignored.
    if (name === 'event') {
      eventTypeBuffer = value; // rule 12
    } else if (name === 'data') {
      dataBuffer += value + LF; // rule 13
    } else if (name === 'id') {
      if (!value.includes('\u0000')) lastEventIdBuffer = value; // rule 14
    } else if (name === 'retry') {
      // Rule 15: non-empty and ASCII digits only, base ten.
      let digitsOnly = value !== '';
      for (const character of value) {
        if (character < '0' || character > '9') digitsOnly = false;
      }
      if (digitsOnly) result.retries.push(Number(value));
    }
  }

  function processLine(line: string): void {
    if (line === '') {
      dispatch(); // rule 7
      return;
    }
    if (line[0] === ':') {
      // Rule 8: a comment; reported like a field value (one leading space removed).
      result.comments.push(line[1] === ' ' ? line.slice(2) : line.slice(1));
      return;
    }
    const colon = line.indexOf(':');
    if (colon === -1) {
      processField(line, ''); // rule 10
      return;
    }
    // Rule 9: name before the first colon; value after it, minus one leading U+0020.
    let value = line.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    processField(line.slice(0, colon), value);
  }

  // Rules 5 and 6: a line ends at CRLF, LF or CR; CRLF is one line ending.
  let line = '';
  for (let index = 0; index < input.length; index += 1) {
    const character = input[index];
    if (character === CR) {
      processLine(line);
      line = '';
      if (input[index + 1] === LF) index += 1;
    } else if (character === LF) {
      processLine(line);
      line = '';
    } else {
      line += character;
    }
  }
  // Rule 21: `line` (the unfinished last line, if any) is dropped with any pending event.
  return result;
}
