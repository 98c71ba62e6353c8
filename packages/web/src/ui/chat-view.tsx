import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/api-error.ts';
import type { UsageGroup } from '../api/api-types.ts';
import {
  applyChatEvent,
  endAnswer,
  startAnswer,
  turnsFromStored,
  type AssistantTurn,
  type ChatTurn,
  type TurnError,
} from '../chat/chat-turn.ts';
import { useApi } from './api-context.ts';
import { AnswerView, UserView } from './answer-view.tsx';
import type { AttachedImage } from './attach-images.ts';
import { Composer } from './composer.tsx';
import { ErrorNotice } from './error-notice.tsx';
import { formatPercent, formatTokens, formatUsd } from './format.ts';
import { toTurnError } from './to-turn-error.ts';

let liveTurns = 0;

/** A conversation: its turns, the live answer, the session's usage and the message box. */
export function ChatView({
  sessionId,
  maxImageBytes,
  createSession,
  onTurnFinished,
}: {
  sessionId: string | undefined;
  maxImageBytes: number;
  /** Creates a session for the first message of a new conversation; returns its id. */
  createSession: () => Promise<string>;
  /** Called after each answer (titles and order change). */
  onTurnFinished: () => void;
}) {
  const api = useApi();
  const [turns, setTurns] = useState<ChatTurn[]>([]);
  // Answers keep streaming (and are stored whole) when the person opens another conversation.
  const [streamingSessions, setStreamingSessions] = useState<ReadonlySet<string>>(new Set());
  const [stopping, setStopping] = useState(false);
  const [loadError, setLoadError] = useState<TurnError | undefined>();
  const [usage, setUsage] = useState<UsageGroup | undefined>();
  const [busyElsewhere, setBusyElsewhere] = useState(false);
  const activeSession = useRef<string | undefined>(sessionId);
  const createdHere = useRef<string | undefined>(undefined);
  const aborts = useRef(new Map<string, AbortController>());
  const log = useRef<HTMLDivElement>(null);
  const streaming = sessionId !== undefined && streamingSessions.has(sessionId);

  const refreshUsage = useCallback(
    async (id: string) => {
      try {
        const report = await api.usage('session', 366);
        if (activeSession.current === id) setUsage(report.groups.find((group) => group.key === id));
      } catch {
        // Usage is a courtesy here; the usage page reports its own errors.
      }
    },
    [api],
  );

  useEffect(() => {
    activeSession.current = sessionId;
    setLoadError(undefined);
    setBusyElsewhere(false);
    if (!sessionId) {
      setTurns([]);
      setUsage(undefined);
      return;
    }
    // A session this view just created already shows its first turn, streaming.
    if (createdHere.current === sessionId) return;
    setTurns([]);
    setUsage(undefined);
    let cancelled = false;
    api.getSession(sessionId).then(
      (detail) => {
        if (cancelled) return;
        setTurns(turnsFromStored(detail.messages));
        setBusyElsewhere(detail.streaming);
      },
      (caught: unknown) => !cancelled && setLoadError(toTurnError(caught)),
    );
    void refreshUsage(sessionId);
    return () => {
      cancelled = true;
    };
  }, [api, sessionId, refreshUsage]);

  useEffect(() => {
    const element = log.current;
    if (!element) return;
    const nearBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 160;
    if (nearBottom || streaming) element.scrollTop = element.scrollHeight;
  }, [turns, streaming]);

  const send = async (text: string, images: AttachedImage[]): Promise<boolean> => {
    let id = sessionId;
    if (!id) {
      try {
        id = await createSession();
        createdHere.current = id;
        activeSession.current = id;
      } catch (caught) {
        setLoadError(toTurnError(caught));
        return false;
      }
    }
    const key = `live-${liveTurns++}`;
    const update = (change: (turn: AssistantTurn) => AssistantTurn) =>
      setTurns((current) =>
        current.map((turn) =>
          turn.key === key && turn.role === 'assistant' ? change(turn) : turn,
        ),
      );
    setTurns((current) => [
      ...current,
      {
        role: 'user',
        key: `${key}-user`,
        text,
        images: images.map((image) => ({ mediaType: image.mediaType, url: image.previewUrl })),
      },
      startAnswer(key),
    ]);
    setBusyElsewhere(false);
    const controller = new AbortController();
    const sessionOfTurn = id;
    aborts.current.set(sessionOfTurn, controller);
    setStreamingSessions((current) => new Set(current).add(sessionOfTurn));
    void (async () => {
      try {
        for await (const event of api.send({
          sessionId: sessionOfTurn,
          text,
          images: images.map(({ mediaType, data }) => ({ mediaType, data })),
          signal: controller.signal,
        })) {
          update((turn) => applyChatEvent(turn, event));
        }
        update((turn) => endAnswer(turn));
      } catch (caught) {
        const aborted = controller.signal.aborted;
        update((turn) =>
          endAnswer(
            turn,
            aborted
              ? undefined
              : caught instanceof ApiError
                ? toTurnError(caught)
                : {
                    code: 'network_error',
                    message: 'The connection to the server was lost before the answer finished.',
                  },
          ),
        );
      } finally {
        if (aborts.current.get(sessionOfTurn) === controller) aborts.current.delete(sessionOfTurn);
        setStreamingSessions((current) => {
          const next = new Set(current);
          next.delete(sessionOfTurn);
          return next;
        });
        setStopping(false);
        onTurnFinished();
      }
    })();
    return true;
  };

  const stop = async () => {
    if (!sessionId && !createdHere.current) return;
    setStopping(true);
    const id = activeSession.current!;
    try {
      // The server ends the stream itself (usage, then done with stopped: true).
      if (!(await api.stop(id))) aborts.current.get(id)?.abort();
    } catch {
      aborts.current.get(id)?.abort();
    }
  };

  const totals = sumUsage(usage, turns);
  return (
    <section className="chat" aria-label="Chat">
      <header className="chat-header">
        <p
          className="session-usage"
          data-testid="session-usage"
          aria-label="This conversation's usage"
        >
          {totals ? (
            <>
              This conversation: {formatTokens(totals.tokens)} tokens · cache hit{' '}
              {formatPercent(totals.cacheHitRatio)} ·{' '}
              <strong data-testid="session-cost">{formatUsd(totals.costUsd)}</strong>
            </>
          ) : (
            'No usage yet in this conversation.'
          )}
        </p>
      </header>
      <div className="log" ref={log} role="log" aria-live="polite" aria-relevant="additions">
        {turns.length === 0 && !loadError ? (
          <div className="empty">
            <h2>How can we help?</h2>
            <p>
              Try “What is the status of order ORD-10000001?”, “What is your return policy?”, or
              attach a photo of a damaged item.
            </p>
          </div>
        ) : null}
        {turns.map((turn) =>
          turn.role === 'user' ? (
            <UserView key={turn.key} turn={turn} />
          ) : (
            <AnswerView key={turn.key} turn={turn} />
          ),
        )}
        {busyElsewhere ? (
          <p className="muted" role="status">
            An answer is still being written for this conversation; reload once it is done to see
            it.
          </p>
        ) : null}
        {loadError ? (
          <ErrorNotice error={loadError} onDismiss={() => setLoadError(undefined)} />
        ) : null}
      </div>
      <Composer
        streaming={streaming}
        disabled={stopping}
        maxImageBytes={maxImageBytes}
        onSend={send}
        onStop={() => void stop()}
      />
    </section>
  );
}

/** Token buckets of a session. */
interface UsageTotals {
  tokens: number;
  cacheHitRatio: number;
  costUsd: number;
}

/**
 * The session's usage: the ledger's figures when the session was opened, plus the answers
 * streamed since (stored answers carry no usage of their own, so nothing is counted twice).
 */
function sumUsage(ledger: UsageGroup | undefined, turns: ChatTurn[]): UsageTotals | undefined {
  let output = ledger?.tokens.output ?? 0;
  let cacheRead = ledger?.tokens.cacheRead ?? 0;
  let inputSide = ledger
    ? ledger.tokens.input +
      ledger.tokens.cacheRead +
      ledger.tokens.cacheWrite5m +
      ledger.tokens.cacheWrite1h
    : 0;
  let costUsd = ledger?.costUsd ?? 0;
  let any = ledger !== undefined;
  for (const turn of turns) {
    if (turn.role !== 'assistant' || !turn.usage) continue;
    any = true;
    const usage = turn.usage;
    inputSide += usage.input + usage.cacheRead + usage.cacheWrite;
    cacheRead += usage.cacheRead;
    output += usage.output;
    costUsd += usage.costUsd;
  }
  if (!any) return undefined;
  return {
    tokens: inputSide + output,
    cacheHitRatio: inputSide ? cacheRead / inputSide : 0,
    costUsd,
  };
}
