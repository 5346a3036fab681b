import { useId, useMemo, useState } from "react";
import { seededRandom, seedOf, shuffle } from "#app/quiz/random.ts";
import { useOptionalLesson } from "./lesson-context.tsx";

/**
 * An ungraded question with immediate feedback; native radios keep it keyboard
 * accessible. Options are shown in an order shuffled per learner and check
 * (stable across reloads, the same on server and browser), so the key's
 * authored position is no cue.
 */
export function KnowledgeCheck({ question, options: authored, answer: authoredAnswer, explanation, uid }: { question: string; options: string[]; answer: number; explanation: string; uid?: string }) {
  // Compiled lessons give each check its id (compile.server.ts); useId is the fallback.
  const fallbackId = useId();
  const id = uid ?? fallbackId;
  const seed = useOptionalLesson()?.shuffleSeed;
  const { options, answer } = useMemo(() => {
    if (!seed) return { options: authored, answer: authoredAnswer };
    const order = shuffle(authored.map((_, i) => i), seededRandom(seedOf(`${seed}:${id}:${question}`)));
    return { options: order.map((i) => authored[i]!), answer: order.indexOf(authoredAnswer) };
  }, [seed, id, question, authored, authoredAnswer]);
  const [choice, setChoice] = useState<number | null>(null);
  const [checked, setChecked] = useState(false);
  const right = checked && choice === answer;
  return (
    <fieldset className="knowledge-check">
      <legend>
        <span className="knowledge-check__label">Knowledge check</span> {question}
      </legend>
      {options.map((option, i) => (
        <label key={i} className="knowledge-check__option">
          <input
            type="radio"
            name={id}
            value={i}
            checked={choice === i}
            onChange={() => {
              setChoice(i);
              setChecked(false);
            }}
          />{" "}
          {option}
        </label>
      ))}
      <div className="actions">
        <button type="button" className="button button--secondary button--small" disabled={choice === null} onClick={() => setChecked(true)}>
          Check answer
        </button>
      </div>
      <div aria-live="polite">
        {checked ? (
          <div className={`alert ${right ? "alert--success" : "alert--warning"}`}>
            <p>
              <strong>{right ? "Correct." : `Not quite. The best answer is: ${options[answer]}`}</strong> {explanation}
            </p>
          </div>
        ) : null}
      </div>
    </fieldset>
  );
}
